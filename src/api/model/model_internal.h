// Helpers shared by model.cc and the generated model_data.cc. Not public.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "api/model/pattern.h"

namespace iam::api::model::internal {

// Compiles every pattern of a service. A pattern this matcher cannot compile
// (none in the shipped models; the tests check) is reported on stderr and
// replaced by one that accepts everything, so the server still starts.
std::vector<Pattern> CompilePatterns(std::span<const std::string_view> texts);

}  // namespace iam::api::model::internal
