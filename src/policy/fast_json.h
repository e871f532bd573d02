// A strict, single-pass JSON reader for the hot paths (Policy::Parse and
// `iamd eval`): no recursion, no per-value allocation. It accepts a subset
// of what json_reader.h accepts (RFC 8259, valid UTF-8, no duplicate keys,
// bounded nesting) and says nothing about why it refused: callers then run
// the nlohmann-based reader, which produces the error messages users see.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace iam::policy {

struct JsonNode {
  enum class Type : uint8_t { kNull, kFalse, kTrue, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  bool escaped = false;  // string: had escapes (text is decoded, not the source)
  uint32_t end = 0;   // index one past this node's subtree (its next sibling)
  uint32_t size = 0;  // array: elements; object: members
  uint32_t print = 0; // object key: a fingerprint (equal keys, equal prints)
  std::string_view text;  // string: decoded contents; number: the token; array, object: the source
};

// A parsed document as a flat tape in document order. An object's children
// alternate key (a kString node) and value. Views point into the input text
// or into the document's own buffer (strings with escapes).
class JsonDoc {
 public:
  // Returns false if `text` is not acceptable JSON (see above). The views
  // point into the document's own copy of `text`, valid until the next Parse.
  bool Parse(std::string_view text, size_t max_depth, size_t max_bytes);
  // The same, but duplicate keys are let through: for callers that check
  // every object they accept themselves (they read its keys anyway).
  bool ParseKeepingDuplicates(std::string_view text, size_t max_depth, size_t max_bytes);

  const JsonNode& node(uint32_t i) const { return nodes_[i]; }
  uint32_t root() const { return 0; }
  // The member `key` of object `obj`, or 0 (the root is never a member).
  uint32_t Find(uint32_t obj, std::string_view key) const;
  // True if the text had no white space between tokens, no escapes and no
  // numbers: then every value's source text is also its compact rendering.
  bool compact() const { return compact_; }

 private:
  // Parse and ParseKeepingDuplicates (`unique_keys` false).
  bool Read(std::string_view text, size_t max_depth, size_t max_bytes, bool unique_keys);
  // Read the token at p (a string's opening quote, a number's first byte)
  // into `node`; return the position after it, or nullptr if it is bad.
  const char* ParseString(const char* p, JsonNode& node);
  const char* ParseEscapedString(const char* p, const char* start, JsonNode& node);
  const char* ParseNumber(const char* p, JsonNode& node);
  // An object's key `key` was just read: false if the object has it
  // already. Objects of over kSeenKeys members are checked when they close.
  bool NewKey(uint32_t key);
  bool CheckUniqueKeys(uint32_t obj);
  // Makes room for more nodes: the vector only grows (and is reused by the
  // next Parse), so this runs only on a thread's first, largest texts.
  JsonNode* Grow(uint32_t count);

  std::vector<JsonNode> nodes_;  // [0, count_) are this document's
  uint32_t count_ = 0;
  bool compact_ = true;
  // Open containers: the node, and for an object the keys' fingerprint
  // bits seen so far (see NewKey).
  struct Open {
    uint32_t node;
    uint64_t seen;
  };
  std::vector<Open> stack_;
  std::vector<std::string_view> keys_;  // scratch for duplicate checks
  std::string buffer_;                  // decoded strings with escapes
  // The text being parsed, followed by kPadding zero bytes: scans read
  // 16 bytes at a time and stop at the first zero byte without checking
  // the end at every step (a zero byte is invalid anywhere in JSON).
  std::unique_ptr<char[]> input_;
  size_t input_capacity_ = 0;
  const char* end_ = nullptr;
};

// Iterates the children of an array, or the members of an object (then
// `key` gives the member's key node and `value` its value node).
class JsonChildren {
 public:
  JsonChildren(const JsonDoc& doc, uint32_t container)
      : doc_(doc), next_(container + 1), end_(doc.node(container).end) {}
  // Advances to the next child; false at the end.
  bool Next(uint32_t& child) {
    if (next_ >= end_) return false;
    child = next_;
    next_ = doc_.node(next_).end;
    return true;
  }
  bool NextMember(uint32_t& key, uint32_t& value) { return Next(key) && Next(value); }

 private:
  const JsonDoc& doc_;
  uint32_t next_, end_;
};

}  // namespace iam::policy
