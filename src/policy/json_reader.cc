#include "policy/json_reader.h"

#include <set>
#include <vector>

namespace iam::policy {
namespace {

struct Abort {
  std::string message;
};

}  // namespace

bool ReadJson(std::string_view text, const JsonLimits& limits, nlohmann::json& out,
              std::string& error) {
  if (text.size() > limits.max_bytes) {
    error = "document larger than " + std::to_string(limits.max_bytes) + " bytes";
    return false;
  }
  // One set of seen keys per open object, to refuse duplicates as AWS's
  // parser does instead of silently keeping the last one.
  std::vector<std::set<std::string>> seen;
  auto callback = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using E = nlohmann::json::parse_event_t;
    switch (event) {
      case E::object_start:
      case E::array_start:
        if (static_cast<size_t>(depth) >= limits.max_depth) {
          throw Abort{"nesting deeper than " + std::to_string(limits.max_depth) + " levels"};
        }
        if (event == E::object_start) seen.emplace_back();
        break;
      case E::key: {
        const std::string& key = parsed.get_ref<const std::string&>();
        if (!seen.empty() && !seen.back().insert(key).second) {
          throw Abort{"duplicate key \"" + key + "\""};
        }
        break;
      }
      case E::object_end:
        if (!seen.empty()) seen.pop_back();
        break;
      default:
        break;
    }
    return true;
  };
  try {
    out = nlohmann::json::parse(text.begin(), text.end(), callback, /*allow_exceptions=*/true,
                                /*ignore_comments=*/false);
    return true;
  } catch (const Abort& a) {
    error = a.message;
  } catch (const nlohmann::json::exception& e) {
    std::string what = e.what();
    // Drop nlohmann's "[json.exception.parse_error.101] " prefix.
    size_t close = what.find("] ");
    error = close == std::string::npos ? what : what.substr(close + 2);
  } catch (const std::exception& e) {
    error = e.what();
  }
  return false;
}

}  // namespace iam::policy
