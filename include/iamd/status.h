// iam::Status and iam::Result<T>: how every fallible call in iamd reports
// failure. A Status is OK or an error code plus a human message; the codes
// mirror AWS IAM/STS error codes so that the API layer maps them 1:1.
//
//   iam::Result<Policy> p = Policy::Parse(text, PolicyType::kIdentity);
//   if (!p.ok()) return p.status();
//
// Both types are [[nodiscard]]: ignoring an error is a compiler warning.
// Thread-safety: immutable values; safe to copy between threads.
#pragma once

#include <cassert>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace iam {

// StatusCode names what went wrong, in AWS's vocabulary. Pick the most
// specific code; the API layer turns each into AWS's error code and HTTP status.
enum class StatusCode {
  kOk = 0,
  // The request is well-formed but a value is outside what AWS allows
  // (bad name pattern, length, enum value). AWS: InvalidInput (400).
  kInvalidInput,
  // A constraint of the service model failed (required member missing,
  // length/pattern of a member). AWS: ValidationError (400).
  kValidationError,
  // A policy document is not valid JSON or not a valid policy of its type.
  // AWS: MalformedPolicyDocument (400).
  kMalformedPolicyDocument,
  // The named entity does not exist. AWS: NoSuchEntity (404).
  kNoSuchEntity,
  // An entity with that name already exists. AWS: EntityAlreadyExists (409).
  kEntityAlreadyExists,
  // The entity still has dependents (keys, members, policies). AWS: DeleteConflict (409).
  kDeleteConflict,
  // A quota would be exceeded. AWS: LimitExceeded (409).
  kLimitExceeded,
  // A password does not satisfy the account password policy.
  // AWS: PasswordPolicyViolation (400).
  kPasswordPolicyViolation,
  // The entity cannot be changed (AWS managed policies, service roles).
  // AWS: UnmodifiableEntity (400).
  kUnmodifiableEntity,
  // A concurrent write to the same entity won. AWS: ConcurrentModification (409).
  kConcurrentModification,
  // The caller is authenticated but not allowed. AWS: AccessDenied (403).
  kAccessDenied,
  // The access key id is unknown or the token is unreadable.
  // AWS: InvalidClientTokenId (403).
  kInvalidClientTokenId,
  // The request signature does not verify. AWS: SignatureDoesNotMatch (403).
  kSignatureDoesNotMatch,
  // Temporary credentials have expired. AWS: ExpiredToken (400/403).
  kExpiredToken,
  // The request's date is outside the allowed window. AWS: RequestExpired (400).
  kRequestExpired,
  // Operation unknown. AWS: InvalidAction (400).
  kInvalidAction,
  // The store or another dependency is unavailable. AWS: ServiceFailure (500/503).
  kServiceFailure,
  // A bug or an invariant broken inside iamd. Never caused by input alone.
  kInternal,
  // The request's SigV4 signature is missing a required part or malformed
  // (Authorization parameters, credential, date format). AWS: IncompleteSignature (400).
  kIncompleteSignature,
  // The request carries no authentication at all. AWS: MissingAuthenticationToken (403).
  kMissingAuthenticationToken,
  // Session policies and tags of an STS request pack beyond the token's
  // room. AWS (STS): PackedPolicyTooLarge (400).
  kPackedPolicyTooLarge,
  // DecodeAuthorizationMessage was given a message that does not decode.
  // AWS (STS): InvalidAuthorizationMessageException (400).
  kInvalidAuthorizationMessage,
  // An MFA device's one-time code does not verify (EnableMFADevice,
  // ResyncMFADevice). AWS: InvalidAuthenticationCode (403).
  kInvalidAuthenticationCode,
  // A web identity token or SAML assertion is malformed, badly signed, or
  // from an unknown issuer. AWS: InvalidIdentityToken (400).
  kInvalidIdentityToken,
  // A web identity token or SAML assertion has expired (not a session token:
  // that is kExpiredToken). AWS: ExpiredTokenException (400).
  kExpiredIdentityToken,
  // The identity provider's claims are not accepted (audience, trust).
  // AWS: IDPRejectedClaim (403).
  kIdpRejectedClaim,
  // The identity provider's keys could not be fetched. AWS: IDPCommunicationError (400).
  kIdpCommunicationError,
};

// Returns the AWS-style name of a code, e.g. "NoSuchEntity".
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  // OK status: no allocation.
  Status() = default;
  Status(StatusCode code, std::string message);

  static Status Ok() { return Status(); }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  // The message; empty for OK.
  const std::string& message() const;
  // "Code: message", or "OK".
  std::string ToString() const;

 private:
  struct Rep {
    StatusCode code;
    std::string message;
  };
  std::shared_ptr<const Rep> rep_;
};

// Named constructors, one per code, so call sites read as sentences.
inline Status InvalidInput(std::string m) { return {StatusCode::kInvalidInput, std::move(m)}; }
inline Status ValidationError(std::string m) { return {StatusCode::kValidationError, std::move(m)}; }
inline Status MalformedPolicy(std::string m) { return {StatusCode::kMalformedPolicyDocument, std::move(m)}; }
inline Status NoSuchEntity(std::string m) { return {StatusCode::kNoSuchEntity, std::move(m)}; }
inline Status AlreadyExists(std::string m) { return {StatusCode::kEntityAlreadyExists, std::move(m)}; }
inline Status DeleteConflict(std::string m) { return {StatusCode::kDeleteConflict, std::move(m)}; }
inline Status LimitExceeded(std::string m) { return {StatusCode::kLimitExceeded, std::move(m)}; }
inline Status AccessDenied(std::string m) { return {StatusCode::kAccessDenied, std::move(m)}; }
inline Status ServiceFailure(std::string m) { return {StatusCode::kServiceFailure, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok() && "Result needs a value or an error");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  Status status() const { return ok() ? Status() : std::get<Status>(v_); }

  // Precondition: ok().
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace iam
