// The `iamd eval` case format (shared/eval-cases.md): one JSON line in, one
// JSON line out. Shared by the CLI, the tests and the benchmarks.
#pragma once

#include <string>
#include <string_view>

namespace iam::policy {

// Evaluates one case line and returns its answer line (no newline):
// {"id":..,"decision":"Allow"|"ExplicitDeny"|"ImplicitDeny","statements":[..]}
// or, for a case that cannot be evaluated, {"id":..,"decision":null,"error":".."}.
// Never throws; any input yields exactly one answer.
std::string EvaluateCaseLine(std::string_view line);
// Same, appended to `out` (a batch's answers go straight where they are
// written from). Thread-safe.
void AppendCaseAnswer(std::string_view line, std::string& out);

// Tests: answer well-formed cases through a CompiledPolicySet built per case
// instead of the PolicySet (the answers must not change).
void TEST_EvaluateThroughCompiledSet(bool on);
// Tests: the answer of the reference path alone (nlohmann's reading, the
// policies parsed from their text), which the fast path must match byte
// for byte.
std::string TEST_ReferenceAnswer(std::string_view line);

}  // namespace iam::policy
