#include "api/query/form.h"

namespace iam::api {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else if (c == '%') {
      if (s.size() - i < 3) return std::nullopt;
      int h = HexValue(s[i + 1]);
      int l = HexValue(s[i + 2]);
      if (h < 0 || l < 0) return std::nullopt;
      out.push_back(static_cast<char>(h * 16 + l));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::optional<AwsError> ParseFormInto(std::string_view form, QueryParams* params) {
  std::size_t start = 0;
  while (start <= form.size()) {
    std::size_t amp = form.find('&', start);
    if (amp == std::string_view::npos) amp = form.size();
    std::string_view piece = form.substr(start, amp - start);
    start = amp + 1;
    if (piece.empty()) continue;
    std::size_t eq = piece.find('=');
    std::string_view raw_name = piece.substr(0, eq);
    std::string_view raw_value = eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1);
    std::optional<std::string> name = PercentDecode(raw_name);
    if (!name) return MalformedQueryString("invalid percent-encoding in a parameter name");
    std::optional<std::string> value = PercentDecode(raw_value);
    if (!value) return MalformedQueryString("invalid percent-encoding in the value of " + *name);
    if (params->size() >= kMaxQueryParams) return DuplicateParameter("(too many parameters)");
    auto [it, inserted] = params->emplace(std::move(*name), std::move(*value));
    if (!inserted) return DuplicateParameter(it->first);
  }
  return std::nullopt;
}

ApiResult<QueryParams> ParseForm(std::string_view form) {
  QueryParams params;
  if (std::optional<AwsError> err = ParseFormInto(form, &params)) return *err;
  return params;
}

std::string UrlEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace iam::api
