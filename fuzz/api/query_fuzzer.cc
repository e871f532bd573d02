// Fuzzes the AWS Query request path: form decoding, Action/Version lookup,
// input parsing and validation against the IAM or STS model, and rendering
// of the resulting error. No crash, no sanitizer report, no exception may
// escape, and the error rendered is XML 1.0 text whatever bytes the request
// held (valid UTF-8, no character XML forbids). The first byte picks the
// service; the rest is the form body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/model/model.h"
#include "api/model/utf8.h"
#include "api/query/form.h"
#include "api/query/request.h"
#include "api/query/response.h"

namespace {

// Traps unless `xml` is valid UTF-8 of characters XML 1.0 allows.
void CheckXmlText(const std::string& xml) {
  if (iam::api::model::SanitizeUtf8(xml) != xml) __builtin_trap();
  for (char32_t c : iam::api::model::DecodeUtf8(xml)) {
    bool allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
                   (c >= 0x10000 && c <= 0x10FFFF);
    if (!allowed) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace iam::api;
  if (size == 0) return 0;
  const model::Service& service = (data[0] & 1) ? model::Sts() : model::Iam();
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  ApiResult<QueryParams> params = ParseForm(body);
  if (!params.ok()) {
    CheckXmlText(RenderError(service, params.error(), "fuzz"));
    return 0;
  }
  ApiResult<ParsedRequest> req = ParseRequest(service, *params);
  if (!req.ok()) {
    CheckXmlText(RenderError(service, req.error(), "fuzz"));
    return 0;
  }
  // A parsed input is valid JSON that serializes.
  (void)req->input.dump();
  return 0;
}
