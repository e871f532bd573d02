// `iamd audit`: prints the audit records that match filters, oldest first,
// from the current file and its rotated predecessors.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/flags.h"

namespace iam::cli {
namespace {

constexpr char kUsage[] =
    "usage: iamd audit (--data DIR | --file PATH) [--principal ARN|NAME|ID] [--action [iam:]Operation]\n"
    "                  [--since TIME] [--until TIME] [--decision Allow|Deny|ExplicitDeny|ImplicitDeny]\n"
    "                  [--error CODE]\n"
    "TIME is ISO 8601 UTC (2026-11-28 or 2026-11-28T10:00:00Z); --until is exclusive.\n";

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

struct Filter {
  Flags flags;

  bool Matches(const nlohmann::json& e) const {
    auto str = [&](const nlohmann::json& j, const char* key) {
      auto it = j.find(key);
      return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    if (flags.has("principal")) {
      std::string want = flags.get("principal");
      auto id = e.find("userIdentity");
      if (id == e.end()) return false;
      if (str(*id, "arn") != want && str(*id, "principalId") != want && str(*id, "userName") != want &&
          str(*id, "accountId") != want) {
        return false;
      }
    }
    if (flags.has("action")) {
      std::string want = flags.get("action");
      std::string name = str(e, "eventName");
      std::string source = str(e, "eventSource");
      std::string qualified = source.substr(0, source.find('.')) + ":" + name;
      if (!EqualsIgnoreCase(want, name) && !EqualsIgnoreCase(want, qualified)) return false;
    }
    std::string time = str(e, "eventTime");
    if (flags.has("since") && time < flags.get("since")) return false;
    if (flags.has("until") && time >= flags.get("until")) return false;
    if (flags.has("decision")) {
      std::string want = flags.get("decision");
      auto extra = e.find("additionalEventData");
      std::string decision = extra != e.end() && extra->is_object() ? str(*extra, "decision") : "";
      bool deny = decision == "ExplicitDeny" || decision == "ImplicitDeny";
      if (!(EqualsIgnoreCase(want, decision) || (EqualsIgnoreCase(want, "Deny") && deny))) return false;
    }
    if (flags.has("error") && str(e, "errorCode") != flags.get("error")) return false;
    return true;
  }
};

}  // namespace

int RunAudit(int argc, char** argv) {
  Filter filter{ParseFlags(argc, argv, 2, {"data", "file", "principal", "action", "since", "until", "decision",
                                           "error"})};
  if (!filter.flags.error.empty()) return std::cerr << "iamd audit: " << filter.flags.error << "\n" << kUsage, 2;
  std::string path = filter.flags.has("file") ? filter.flags.get("file") : filter.flags.get("data") + "/audit.log";
  if (!filter.flags.has("file") && !filter.flags.has("data")) return std::cerr << kUsage, 2;

  // Rotated files first (highest number is oldest), then the current one.
  std::vector<std::string> files;
  for (int i = 1; std::filesystem::exists(path + "." + std::to_string(i)); ++i) {
    files.insert(files.begin(), path + "." + std::to_string(i));
  }
  if (std::filesystem::exists(path)) files.push_back(path);
  if (files.empty()) return std::cerr << "iamd audit: no audit log at " << path << "\n", 1;

  for (const std::string& file : files) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
      nlohmann::json e = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
      if (e.is_object() && filter.Matches(e)) std::cout << line << '\n';
    }
  }
  std::cout << std::flush;
  return 0;
}

}  // namespace iam::cli
