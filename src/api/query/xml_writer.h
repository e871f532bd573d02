// A minimal XML writer for AWS Query responses: elements, escaped text, two-
// space indentation as AWS prints it. Text is made safe for XML 1.0: invalid
// UTF-8 and characters XML cannot carry become U+FFFD, '\r' is written as
// &#xD; so that parsers read it back.
#pragma once

#include <string>
#include <string_view>

namespace iam::api {

class XmlWriter {
 public:
  XmlWriter() { out_.reserve(1024); }
  // <name xmlns="ns">
  void OpenRoot(std::string_view name, std::string_view xml_namespace);
  void Open(std::string_view name);
  void Close(std::string_view name);
  // <name>escaped text</name> on one line.
  void Leaf(std::string_view name, std::string_view text);

  std::string Take() { return std::move(out_); }

 private:
  void Indent();
  std::string out_;
  int depth_ = 0;
};

// Appends `text` to *out, escaped for XML character data.
void AppendEscaped(std::string_view text, std::string* out);

}  // namespace iam::api
