#include "api/query/xml_writer.h"

#include "api/model/utf8.h"
#include "common/byte_scan.h"

namespace iam::api {
namespace {

bool XmlChar(char32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

}  // namespace

void AppendEscaped(std::string_view text, std::string* out) {
  // Printable ASCII with nothing to escape (nearly every byte) goes as is.
  size_t plain = FindSpecialByte(text, "&<>\"");
  out->append(text.substr(0, plain));
  if (plain == text.size()) return;
  for (char32_t c : model::DecodeUtf8(text.substr(plain))) {
    switch (c) {
      case '&': *out += "&amp;"; break;
      case '<': *out += "&lt;"; break;
      case '>': *out += "&gt;"; break;
      case '"': *out += "&quot;"; break;
      case '\r': *out += "&#xD;"; break;
      default:
        model::AppendUtf8(XmlChar(c) ? c : 0xFFFD, out);
    }
  }
}

void XmlWriter::Indent() {
  if (!out_.empty()) out_.push_back('\n');
  out_.append(static_cast<std::size_t>(depth_) * 2, ' ');
}

void XmlWriter::OpenRoot(std::string_view name, std::string_view xml_namespace) {
  Indent();
  out_ += '<';
  out_ += name;
  out_ += " xmlns=\"";
  AppendEscaped(xml_namespace, &out_);
  out_ += "\">";
  ++depth_;
}

void XmlWriter::Open(std::string_view name) {
  Indent();
  out_ += '<';
  out_ += name;
  out_ += '>';
  ++depth_;
}

void XmlWriter::Close(std::string_view name) {
  --depth_;
  Indent();
  out_ += "</";
  out_ += name;
  out_ += '>';
}

void XmlWriter::Leaf(std::string_view name, std::string_view text) {
  Indent();
  out_ += '<';
  out_ += name;
  out_ += '>';
  AppendEscaped(text, &out_);
  out_ += "</";
  out_ += name;
  out_ += '>';
}

}  // namespace iam::api
