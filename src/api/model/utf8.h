// UTF-8 as the Query layer reads it: like Java decoding request text, each
// invalid byte sequence becomes U+FFFD; lengths count UTF-16 code units, as
// Java's String.length() does for the model's length constraints.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace iam::api::model {

// Decodes UTF-8 into code points; invalid sequences become U+FFFD.
std::u32string DecodeUtf8(std::string_view utf8);

// Length as Java's String.length(): UTF-16 code units.
std::size_t Utf16Length(std::string_view utf8);

// Appends the UTF-8 encoding of code point c.
void AppendUtf8(char32_t c, std::string* out);

// `s` with every invalid UTF-8 sequence replaced by U+FFFD.
std::string SanitizeUtf8(std::string_view s);

}  // namespace iam::api::model
