// Command-line flags of the subcommands: `--name value` or `--name=value`,
// every flag taking a value.
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

namespace iam::cli {

struct Flags {
  std::map<std::string, std::string> values;
  std::string error;  // the first problem, or empty

  bool has(const std::string& name) const { return values.contains(name); }
  std::string get(const std::string& name, std::string fallback = "") const {
    auto it = values.find(name);
    return it == values.end() ? fallback : it->second;
  }
};

// Parses argv[first..]. If `known` is not empty, an unknown flag is an error.
Flags ParseFlags(int argc, char** argv, int first, std::initializer_list<std::string_view> known = {});

}  // namespace iam::cli
