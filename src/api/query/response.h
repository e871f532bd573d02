// Response side of the AWS Query protocol: an operation's output value
// rendered as AWS's XML, and errors as <ErrorResponse>.
//
//   Result<std::string> xml = RenderResponse(model::Iam(), *op, output, request_id);
//   // <CreateUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
//   //   <CreateUserResult><User>...</User></CreateUserResult>
//   //   <ResponseMetadata><RequestId>...</RequestId></ResponseMetadata>
//   // </CreateUserResponse>
//
// `output` is a JSON object shaped like the operation's output shape (the
// same conventions as request.h): members come out in model order, lists as
// <member> elements, maps as <entry><key/><value/></entry>, booleans as
// true/false, timestamps as ISO 8601 in UTC with 'Z' (a string is written as
// given; a number is seconds since the epoch). Policy documents are
// URL-encoded by the service layer (UrlEncode in form.h) where AWS does so.
// Thread-safety: pure functions.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/model/model.h"
#include "api/query/errors.h"
#include "iamd/status.h"

namespace iam::api {

inline constexpr std::string_view kXmlContentType = "text/xml";

// The body of a successful response. Operations without output get only
// <ResponseMetadata>. Returns kInternal (a bug in the caller, never input)
// if `output` does not fit the shape: a member the shape does not have, or
// a value of the wrong JSON type.
Result<std::string> RenderResponse(const model::Service& service, const model::Operation& op,
                                   const nlohmann::json& output, std::string_view request_id);

// The body of an error response:
// <ErrorResponse xmlns=...><Error><Type>Sender</Type><Code>..</Code>
// <Message>..</Message></Error><RequestId>..</RequestId></ErrorResponse>.
// The HTTP status to send is error.http_status.
std::string RenderError(const model::Service& service, const AwsError& error, std::string_view request_id);

// "2026-11-28T01:02:03Z" (whole seconds, UTC), as IAM writes dates.
std::string FormatTimestamp(std::chrono::system_clock::time_point t);

}  // namespace iam::api
