// Where each statement of a policy document begins and ends, as the policy
// simulator reports it (Statement.StartPosition/EndPosition): 1-based line
// and column of the statement's opening and closing brace.
#pragma once

#include <string_view>
#include <vector>

namespace iam::service {

struct TextPosition {
  int line = 0;
  int column = 0;
};

struct StatementSpan {
  TextPosition start;
  TextPosition end;
};

// Spans of the statements of `document`, in order. `Statement` may be one
// object or an array of objects. The document must already be valid JSON
// (parsed by the policy engine); anything else yields fewer spans, never a
// read out of bounds.
std::vector<StatementSpan> StatementSpans(std::string_view document);

}  // namespace iam::service
