#include "api/query/dispatch.h"

#include <exception>

#include "api/query/response.h"

namespace iam::api {

QueryReply QueryError(const model::Service& service, const AwsError& error, std::string_view request_id) {
  QueryReply reply;
  reply.http_status = error.http_status;
  reply.error_code = error.code;
  reply.error_message = error.message;
  try {
    reply.body = RenderError(service, error, request_id);
  } catch (const std::exception&) {  // only std::bad_alloc can get here
    reply.http_status = 500;
    reply.error_code = "InternalFailure";
    reply.body.clear();
  }
  return reply;
}

QueryReply HandleQuery(const model::Service& service, const QueryParams& params, std::string_view request_id,
                       const QueryHandler& handler) {
  try {
    ApiResult<ParsedRequest> req = ParseRequest(service, params);
    if (!req.ok()) return QueryError(service, req.error(), request_id);
    Result<nlohmann::json> output = handler(*req);
    if (!output.ok()) return QueryError(service, AwsErrorFromStatus(output.status()), request_id);
    Result<std::string> xml = RenderResponse(service, *req->operation, *output, request_id);
    if (!xml.ok()) {
      QueryReply reply = QueryError(service, AwsErrorFromStatus(Internal("")), request_id);
      reply.internal_detail = xml.status().message();
      return reply;
    }
    QueryReply reply;
    reply.body = std::move(xml).value();
    return reply;
  } catch (const std::exception& e) {
    QueryReply reply = QueryError(service, AwsErrorFromStatus(Internal("")), request_id);
    reply.internal_detail = std::string("exception: ") + e.what();
    return reply;
  }
}

}  // namespace iam::api
