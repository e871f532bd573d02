// One AWS Query request end to end, without the network: decoded parameters
// in, HTTP status and XML body out. The HTTP server decodes the URL query and
// the form body with ParseFormInto (form.h), picks the service (FindService,
// from the SigV4 credential scope), and calls HandleQuery with the operation
// handler of the service layer.
//
//   QueryParams params;
//   if (auto e = ParseFormInto(url_query, &params)) return reply(QueryError(svc, *e, id));
//   if (auto e = ParseFormInto(body, &params)) return reply(QueryError(svc, *e, id));
//   QueryReply r = HandleQuery(svc, params, id, [&](const ParsedRequest& req) {
//     return services.Call(caller, req.operation->name, req.input);  // Result<json>
//   });
//   // r.http_status, r.body (Content-Type: text/xml)
//
// Thread-safety: as thread-safe as the handler.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/model/model.h"
#include "api/query/errors.h"
#include "api/query/form.h"
#include "api/query/request.h"
#include "iamd/status.h"

namespace iam::api {

struct QueryReply {
  int http_status = 200;
  std::string body;  // XML; Content-Type text/xml
  std::string error_code;  // empty on success; for logs and audit records
  std::string error_message;  // the error's <Message>, for audit records
  std::string internal_detail;  // why an InternalFailure happened; for logs only
};

// Runs the operation's output value (or error Status) through the model.
// The request is the handler's: it may move req.input away (into an audit
// record) once the operation has run.
using QueryHandler = std::function<Result<nlohmann::json>(ParsedRequest&)>;

// Parses and validates the request, calls `handler`, renders its output or
// error. A handler that throws, or whose output does not fit the output
// shape, yields InternalFailure (500) and the details go nowhere near the
// client. Never throws.
QueryReply HandleQuery(const model::Service& service, const QueryParams& params, std::string_view request_id,
                       const QueryHandler& handler);

// The reply for an error found outside HandleQuery (form decoding, SigV4).
QueryReply QueryError(const model::Service& service, const AwsError& error, std::string_view request_id);

}  // namespace iam::api
