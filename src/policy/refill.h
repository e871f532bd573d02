// Refilling a vector in place: a per-thread structure rebuilt for every
// case (a request context, a document) overwrites its elements from the
// start, so their own strings and vectors keep their storage, and parks the
// ones a shorter fill leaves over in a spare list for later.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace iam::policy {

// The element `used` of `list` (then counted), appended from `spare` or
// made when the list has no more. Its old contents are the caller's to reset.
template <typename T>
T& NextRefilled(std::vector<T>& list, size_t& used, std::vector<T>& spare) {
  if (used == list.size()) {
    if (spare.empty()) {
      list.emplace_back();
    } else {
      list.push_back(std::move(spare.back()));
      spare.pop_back();
    }
  }
  return list[used++];
}

// Ends a fill of `used` elements: the rest of `list` goes to `spare`.
template <typename T>
void EndRefill(std::vector<T>& list, size_t used, std::vector<T>& spare) {
  for (size_t i = used; i < list.size(); ++i) spare.push_back(std::move(list[i]));
  list.resize(used);
}

}  // namespace iam::policy
