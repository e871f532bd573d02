#include "cli/flags.h"

#include <algorithm>

namespace iam::cli {

Flags ParseFlags(int argc, char** argv, int first, std::initializer_list<std::string_view> known) {
  Flags f;
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) {
      f.error = "unexpected argument '" + arg + "'";
      return f;
    }
    std::string name = arg.substr(2), value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      f.error = "flag --" + name + " needs a value";
      return f;
    }
    if (known.size() > 0 && std::find(known.begin(), known.end(), name) == known.end()) {
      f.error = "unknown flag --" + name;
      return f;
    }
    f.values[name] = value;
  }
  return f;
}

}  // namespace iam::cli
