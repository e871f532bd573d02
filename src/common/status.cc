#include "iamd/status.h"

namespace iam {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kInvalidInput: return "InvalidInput";
    case StatusCode::kValidationError: return "ValidationError";
    case StatusCode::kMalformedPolicyDocument: return "MalformedPolicyDocument";
    case StatusCode::kNoSuchEntity: return "NoSuchEntity";
    case StatusCode::kEntityAlreadyExists: return "EntityAlreadyExists";
    case StatusCode::kDeleteConflict: return "DeleteConflict";
    case StatusCode::kLimitExceeded: return "LimitExceeded";
    case StatusCode::kPasswordPolicyViolation: return "PasswordPolicyViolation";
    case StatusCode::kUnmodifiableEntity: return "UnmodifiableEntity";
    case StatusCode::kConcurrentModification: return "ConcurrentModification";
    case StatusCode::kAccessDenied: return "AccessDenied";
    case StatusCode::kInvalidClientTokenId: return "InvalidClientTokenId";
    case StatusCode::kSignatureDoesNotMatch: return "SignatureDoesNotMatch";
    case StatusCode::kExpiredToken: return "ExpiredToken";
    case StatusCode::kRequestExpired: return "RequestExpired";
    case StatusCode::kInvalidAction: return "InvalidAction";
    case StatusCode::kServiceFailure: return "ServiceFailure";
    case StatusCode::kInternal: return "InternalFailure";
    case StatusCode::kIncompleteSignature: return "IncompleteSignature";
    case StatusCode::kMissingAuthenticationToken: return "MissingAuthenticationToken";
    case StatusCode::kPackedPolicyTooLarge: return "PackedPolicyTooLarge";
    case StatusCode::kInvalidAuthorizationMessage: return "InvalidAuthorizationMessageException";
    case StatusCode::kInvalidAuthenticationCode: return "InvalidAuthenticationCode";
    case StatusCode::kInvalidIdentityToken: return "InvalidIdentityToken";
    case StatusCode::kExpiredIdentityToken: return "ExpiredTokenException";
    case StatusCode::kIdpRejectedClaim: return "IDPRejectedClaim";
    case StatusCode::kIdpCommunicationError: return "IDPCommunicationError";
  }
  return "Unknown";
}

Status::Status(StatusCode code, std::string message)
    : rep_(code == StatusCode::kOk
               ? nullptr
               : std::make_shared<const Rep>(Rep{code, std::move(message)})) {}

const std::string& Status::message() const {
  static const std::string kEmpty;
  return rep_ ? rep_->message : kEmpty;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(StatusCodeName(code())) + ": " + rep_->message;
}

}  // namespace iam
