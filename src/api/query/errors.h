// AWS errors on the wire: the error code, message, HTTP status and fault
// side (<Type>Sender|Receiver</Type>) of an <ErrorResponse>, the one mapping
// from iam::Status to them, and the protocol-level errors of the AWS Query
// protocol (bad query strings, unknown actions, validation).
//
//   Result<Json> out = service.Call(...);
//   if (!out.ok()) {
//     AwsError e = AwsErrorFromStatus(out.status());   // e.g. NoSuchEntity, 404
//     body = RenderError(model::Iam(), e, request_id);
//   }
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "iamd/status.h"

namespace iam::api {

namespace model {
struct Service;
}  // namespace model

struct AwsError {
  std::string code;           // "NoSuchEntity", "ValidationError", ...
  std::string message;        // <Message>
  int http_status = 400;
  bool sender_fault = true;   // <Type>Sender</Type>; false: Receiver
};

// A value, or the AwsError to send instead. The Query layer's Result: it
// carries codes (MalformedQueryString, MissingAction, ...) that no service
// layer StatusCode names.
template <typename T>
class [[nodiscard]] ApiResult {
 public:
  ApiResult(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  ApiResult(AwsError error) : v_(std::move(error)) {}   // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  // Precondition: !ok().
  const AwsError& error() const { return std::get<AwsError>(v_); }
  // Precondition: ok().
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, AwsError> v_;
};

// Maps a Status from the service, auth or store layers to AWS's error:
// the code named by its StatusCode (kNoSuchEntity -> "NoSuchEntity", 404;
// kEntityAlreadyExists -> "EntityAlreadyExists", 409; kAccessDenied ->
// "AccessDenied", 403; kInternal -> "InternalFailure", 500, Receiver; ...),
// with the HTTP status of the IAM/STS model's error shape where there is one,
// and the Status message as <Message>. Precondition: !status.ok().
AwsError AwsErrorFromStatus(const Status& status);

// The error of `service`'s model whose code is `code` ("ReportInProgress",
// "PackedPolicyTooLarge", "InvalidAuthenticationCode", ...), with that
// shape's HTTP status and fault side: for errors no StatusCode names.
// Unknown codes get 400 and Sender.
AwsError AwsErrorForCode(const model::Service& service, std::string_view code, std::string message);

// "1 validation error detected: A" / "2 validation errors detected: A; B".
// Precondition: !violations.empty().
std::string ValidationMessage(const std::vector<std::string>& violations);

// One violation, as AWS words it:
//   "Value 'x' at 'userName' failed to satisfy constraint: <constraint>".
// `value` is already rendered: "'x'", "null", or "" (sensitive: no value).
std::string Violation(std::string_view rendered_value, std::string_view path, std::string_view constraint);

// Protocol-level errors.
AwsError ValidationFailure(const std::vector<std::string>& violations);  // ValidationError, 400
AwsError InvalidAction(std::string_view action, std::string_view version);  // InvalidAction, 400
AwsError MissingAction();                                  // MissingAction, 400
AwsError MalformedQueryString(std::string_view detail);    // MalformedQueryString, 404 (AWS's status)
AwsError DuplicateParameter(std::string_view name);        // InvalidQueryParameter, 400

}  // namespace iam::api
