#include "api/query/errors.h"

#include "api/model/model.h"

namespace iam::api {
namespace {

struct CodeInfo {
  std::string_view code;
  int http_status;  // used when neither model has an error shape of that code
};

CodeInfo InfoFor(StatusCode code) {
  switch (code) {
    case StatusCode::kInvalidInput: return {"InvalidInput", 400};
    case StatusCode::kValidationError: return {"ValidationError", 400};
    case StatusCode::kMalformedPolicyDocument: return {"MalformedPolicyDocument", 400};
    case StatusCode::kNoSuchEntity: return {"NoSuchEntity", 404};
    case StatusCode::kEntityAlreadyExists: return {"EntityAlreadyExists", 409};
    case StatusCode::kDeleteConflict: return {"DeleteConflict", 409};
    case StatusCode::kLimitExceeded: return {"LimitExceeded", 409};
    case StatusCode::kPasswordPolicyViolation: return {"PasswordPolicyViolation", 400};
    case StatusCode::kUnmodifiableEntity: return {"UnmodifiableEntity", 400};
    case StatusCode::kConcurrentModification: return {"ConcurrentModification", 409};
    case StatusCode::kAccessDenied: return {"AccessDenied", 403};
    case StatusCode::kInvalidClientTokenId: return {"InvalidClientTokenId", 403};
    case StatusCode::kSignatureDoesNotMatch: return {"SignatureDoesNotMatch", 403};
    // An expired session token on a signed request: 403 ExpiredToken, as AWS
    // answers (STS's modeled ExpiredTokenException is about web identity tokens).
    case StatusCode::kExpiredToken: return {"ExpiredToken", 403};
    case StatusCode::kRequestExpired: return {"RequestExpired", 400};
    case StatusCode::kInvalidAction: return {"InvalidAction", 400};
    case StatusCode::kServiceFailure: return {"ServiceFailure", 500};
    case StatusCode::kIncompleteSignature: return {"IncompleteSignature", 400};
    case StatusCode::kMissingAuthenticationToken: return {"MissingAuthenticationToken", 403};
    case StatusCode::kOk:
    case StatusCode::kInternal: return {"InternalFailure", 500};
    default: break;  // a code added later: its name is its AWS code
  }
  return {StatusCodeName(code), 400};
}

}  // namespace

AwsError AwsErrorFromStatus(const Status& status) {
  CodeInfo info = InfoFor(status.code());
  AwsError e;
  e.code = std::string(info.code);
  e.http_status = info.http_status;
  const model::Shape* shape = model::FindErrorByCode(model::Iam(), info.code);
  if (shape == nullptr) shape = model::FindErrorByCode(model::Sts(), info.code);
  if (shape != nullptr) e.http_status = shape->http_status;
  // The model says 500; iamd answers ServiceFailure only when its database
  // is unreachable (or too long unreached), and 503 tells clients and load
  // balancers it is temporary (the SDKs retry both).
  if (status.code() == StatusCode::kServiceFailure) e.http_status = 503;
  e.sender_fault = e.http_status < 500;
  e.message = status.code() == StatusCode::kInternal && status.message().empty()
                  ? "An internal error occurred."
                  : status.message();
  return e;
}

AwsError AwsErrorForCode(const model::Service& service, std::string_view code, std::string message) {
  AwsError e{std::string(code), std::move(message), 400, true};
  if (const model::Shape* shape = model::FindErrorByCode(service, code)) {
    e.http_status = shape->http_status;
    e.sender_fault = shape->sender_fault;
  }
  return e;
}

std::string ValidationMessage(const std::vector<std::string>& violations) {
  std::string out = std::to_string(violations.size());
  out += violations.size() == 1 ? " validation error detected: " : " validation errors detected: ";
  for (std::size_t i = 0; i < violations.size(); ++i) {
    if (i > 0) out += "; ";
    out += violations[i];
  }
  return out;
}

std::string Violation(std::string_view rendered_value, std::string_view path, std::string_view constraint) {
  std::string out = "Value";
  if (!rendered_value.empty()) {
    out += ' ';
    out += rendered_value;
  }
  out += " at '";
  out += path;
  out += "' failed to satisfy constraint: ";
  out += constraint;
  return out;
}

AwsError ValidationFailure(const std::vector<std::string>& violations) {
  return {"ValidationError", ValidationMessage(violations), 400, true};
}

AwsError InvalidAction(std::string_view action, std::string_view version) {
  return {"InvalidAction",
          "Could not find operation " + std::string(action) + " for version " + std::string(version), 400, true};
}

AwsError MissingAction() { return {"MissingAction", "Missing Action", 400, true}; }

AwsError MalformedQueryString(std::string_view detail) {
  return {"MalformedQueryString", "The query string contains a syntax error: " + std::string(detail), 404, true};
}

AwsError DuplicateParameter(std::string_view name) {
  return {"InvalidQueryParameter",
          "The AWS query string is malformed or does not adhere to AWS standards: parameter " + std::string(name) +
              " is given more than once",
          400, true};
}

}  // namespace iam::api
