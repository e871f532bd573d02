// Policy variables: "${aws:username}", "${aws:PrincipalTag/team, 'none'}",
// and the escapes "${*}", "${?}", "${$}". A Template is a string with its
// variables pre-parsed at compile time; Resolve() fills them in per request.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "iamd/policy.h"

namespace iam::policy {

class Template {
 public:
  // Parses `text`. With `variables` false (Version 2008-10-17) the text is
  // taken literally. Literal text keeps its wildcards.
  static Template Parse(std::string_view text, bool variables);
  // Makes this (still empty) Template Parse(text, variables), but keeping a
  // view of `text` when it can be used as it is (no variables, no escapes):
  // `text` must then outlive the Template.
  void AssignView(std::string_view text, bool variables);

  // True if the text has at least one ${...} to resolve per request.
  bool has_variables() const { return has_variables_; }
  // The text as a pattern (escapes applied) when !has_variables().
  std::string_view static_pattern() const { return static_view_; }
  // The text with escapes removed when !has_variables() (for literal compares).
  std::string_view static_literal() const {
    return literal_differs_ ? std::string_view(parsed_->static_literal) : static_view_;
  }

  // With variables: the pattern text before the first one ("" if none).
  std::string_view pattern_prefix() const {
    return parsed_ && !parsed_->parts.empty() && !parsed_->parts[0].variable ? std::string_view(parsed_->parts[0].text)
                                                                            : std::string_view();
  }

  // Appends the resolved text to `out`. As a pattern, variable values and
  // ${*}/${?} become literal characters (escaped); as a literal, nothing is
  // escaped. Returns false if a variable names an absent or multi-valued key
  // and has no default: the element then does not match.
  bool Resolve(const RequestContext& ctx, bool as_pattern, std::string& out) const;

  // Appends a key that is equal for two templates exactly when they match
  // the same way (for finding statements that several policies share).
  void AppendKey(std::string& out) const;

 private:
  struct Part {
    bool variable = false;
    std::string text;  // literal text, or the lower-cased key
    uint32_t key_hash = 0;  // variable: RequestContext::KeyHash(text)
    bool has_default = false;
    std::string default_value;
  };
  // What a text with variables or escapes needs; most texts have neither
  // and keep only a view (a Template is then cheap to make and to drop).
  struct Parsed {
    std::vector<Part> parts;     // with variables only
    std::string static_pattern;  // without variables: the pattern
    std::string static_literal;  // ... and the literal, when it differs
  };
  std::unique_ptr<Parsed> parsed_;
  bool has_variables_ = false;
  bool literal_differs_ = false;  // else the literal is static_pattern() (most texts)
  // Without variables: the pattern, in the text given to AssignView or in
  // parsed_ (which a move leaves where it is).
  std::string_view static_view_;
};

// Appends `value` to `out`, escaping wildcard characters so a matcher sees
// them literally.
void AppendEscaped(std::string_view value, std::string& out);

}  // namespace iam::policy
