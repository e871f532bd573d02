// The fast path of EvaluateCaseLine (eval_case_fast.cc).
#pragma once

#include <string>
#include <string_view>

namespace iam::policy {

// Appends a well-formed case line's answer to `out` and returns true, or
// returns false, `out` untouched, when the reference path must answer
// (errors, unusual ids).
bool TryEvaluateCaseLine(std::string_view line, std::string& out);

}  // namespace iam::policy
