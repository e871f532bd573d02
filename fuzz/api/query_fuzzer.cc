// Fuzzes the AWS Query request path: form decoding, Action/Version lookup,
// input parsing and validation against the IAM or STS model, and rendering
// of the resulting error. No crash, no sanitizer report, no exception may
// escape. The first byte picks the service; the rest is the form body.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/model/model.h"
#include "api/query/form.h"
#include "api/query/request.h"
#include "api/query/response.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace iam::api;
  if (size == 0) return 0;
  const model::Service& service = (data[0] & 1) ? model::Sts() : model::Iam();
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  ApiResult<QueryParams> params = ParseForm(body);
  if (!params.ok()) {
    (void)RenderError(service, params.error(), "fuzz");
    return 0;
  }
  ApiResult<ParsedRequest> req = ParseRequest(service, *params);
  if (!req.ok()) {
    (void)RenderError(service, req.error(), "fuzz");
    return 0;
  }
  // A parsed input is valid JSON that serializes.
  (void)req->input.dump();
  return 0;
}
