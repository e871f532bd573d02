// The fast path of EvaluateCaseLine (eval_case_fast.cc).
#pragma once

#include <string>
#include <string_view>

namespace iam::policy {

// Answers a well-formed case line into `answer` and returns true, or returns
// false when the reference path must answer (errors, unusual ids).
bool TryEvaluateCaseLine(std::string_view line, std::string& answer);

}  // namespace iam::policy
