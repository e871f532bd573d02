#include "api/audit/audit_event.h"

#include <algorithm>
#include <array>
#include <ctime>

#include "api/model/utf8.h"
#include "crypto/random.h"

namespace iam::api {
namespace {

using nlohmann::json;

constexpr std::string_view kHidden = "HIDDEN_DUE_TO_SECURITY_REASONS";

// Members CloudTrail never shows.
bool IsSecret(std::string_view member) {
  static constexpr std::array<std::string_view, 10> kSecrets = {
      "Password", "NewPassword", "OldPassword", "SAMLAssertion", "WebIdentityToken",
      "AuthenticationCode1", "AuthenticationCode2", "TokenCode", "SecretAccessKey", "PrivateKey"};
  for (std::string_view s : kSecrets) {
    if (s == member) return true;
  }
  return false;
}

std::string LowerCamel(const std::string& name) {
  std::string out = name;
  if (!out.empty() && out[0] >= 'A' && out[0] <= 'Z') out[0] = static_cast<char>(out[0] - 'A' + 'a');
  return out;
}

std::string Iso8601(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  thread_local std::time_t cached_second = -1;
  thread_local std::string cached;
  if (tt == cached_second) return cached;
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  cached_second = tt;
  cached = buf;
  return cached;
}

}  // namespace

std::string DecisionOfError(std::string_view code, std::string_view message) {
  if (code != "AccessDenied") return "";
  return message.find("explicit deny") != std::string_view::npos ? "ExplicitDeny" : "ImplicitDeny";
}

void SetIdentity(AuditRecord& r, const service::Caller& c) {
  switch (c.session.kind) {
    case service::SessionKind::kAssumedRole: r.identity_type = "AssumedRole"; break;
    case service::SessionKind::kFederatedUser: r.identity_type = "FederatedUser"; break;
    default: r.identity_type = c.is_root ? "Root" : "IAMUser"; break;
  }
  r.principal_id = c.user_id;
  r.arn = c.arn;
  r.account_id = c.account_id;
  r.access_key_id = c.access_key_id;
  r.user_name = c.user_name;
}

namespace {

// JSON text written directly: an audit line per request must cost little.
class LineWriter {
 public:
  explicit LineWriter(std::string& out) : out_(out) {}

  void String(std::string_view s) {
    bool ascii = std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (!ascii) {
      std::string clean = model::SanitizeUtf8(s);  // invalid bytes must not break the line
      return Escaped(clean);
    }
    Escaped(s);
  }
  void Key(std::string_view k) {
    Separator();
    String(k);
    out_ += ':';
    first_ = true;  // the value follows without a comma
    pending_value_ = true;
  }
  void Begin(char c) {
    Separator();
    out_ += c;
    first_ = true;
  }
  void End(char c) {
    out_ += c;
    first_ = false;
  }
  void Raw(std::string_view v) {
    Separator();
    out_ += v;
  }
  void Value(std::string_view v) {
    Separator();
    String(v);
  }
  void Member(std::string_view k, std::string_view v) {
    Key(k);
    Value(v);
  }
  void MemberBool(std::string_view k, bool v) {
    Key(k);
    Raw(v ? "true" : "false");
  }
  // A parameter value as CloudTrail shows it: lowerCamel member names,
  // secrets hidden.
  void Parameters(const json& v) {
    switch (v.type()) {
      case json::value_t::object:
        Begin('{');
        for (auto it = v.begin(); it != v.end(); ++it) {
          Key(LowerCamel(it.key()));
          if (IsSecret(it.key())) {
            Value(kHidden);
          } else {
            Parameters(it.value());
          }
        }
        End('}');
        break;
      case json::value_t::array:
        Begin('[');
        for (const json& e : v) Parameters(e);
        End(']');
        break;
      case json::value_t::string: Value(v.get_ref<const std::string&>()); break;
      default: Raw(v.dump()); break;  // numbers, booleans, null
    }
  }

 private:
  void Separator() {
    if (pending_value_) {
      pending_value_ = false;
    } else if (!first_) {
      out_ += ',';
    }
    first_ = false;
  }
  void Escaped(std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out_ += '"';
    size_t plain = 0;  // start of the run of bytes copied as they are
    for (size_t i = 0; i < s.size(); ++i) {
      auto c = static_cast<unsigned char>(s[i]);
      if (c != '"' && c != '\\' && c >= 0x20) continue;
      out_.append(s.data() + plain, i - plain);
      plain = i + 1;
      if (c == '"' || c == '\\') {
        out_ += '\\';
        out_ += static_cast<char>(c);
      } else {
        out_ += "\\u00";
        out_ += kHex[c >> 4];
        out_ += kHex[c & 15];
      }
    }
    out_.append(s.data() + plain, s.size() - plain);
    out_ += '"';
  }

  std::string& out_;
  bool first_ = true;
  bool pending_value_ = false;
};

bool IsReadOnly(std::string_view op) {
  for (std::string_view prefix : {"Get", "List", "Describe", "Simulate"}) {
    if (op.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

// A random-looking event id without a system call: not a secret, only unique.
std::string EventId() {
  thread_local uint64_t state = [] {
    std::string seed = crypto::RandomBytes(8);
    uint64_t v = 0;
    for (char c : seed) v = (v << 8) | static_cast<unsigned char>(c);
    return v | 1;
  }();
  auto next = [] {  // xorshift64*
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 2685821657736338717ull;
  };
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t words[2] = {next(), next()};
  std::string id(36, '-');
  int nibble = 0;
  for (size_t i = 0; i < id.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) continue;
    id[i] = kHex[(words[nibble / 16] >> (4 * (nibble % 16))) & 15];
    ++nibble;
  }
  return id;
}

}  // namespace

std::string AuditLine(const AuditRecord& r) {
  std::string out;
  out.reserve(768);
  LineWriter w(out);
  w.Begin('{');
  w.Member("eventVersion", "1.08");
  w.Member("eventTime", Iso8601(r.time));
  w.Member("eventSource", r.event_source);
  w.Member("eventName", r.event_name);
  w.Member("awsRegion", r.region.empty() ? std::string_view("us-east-1") : std::string_view(r.region));
  w.Member("sourceIPAddress", r.source_ip);
  w.Member("userAgent", r.user_agent);
  if (!r.identity_type.empty()) {
    w.Key("userIdentity");
    w.Begin('{');
    w.Member("type", r.identity_type);
    w.Member("principalId", r.principal_id);
    w.Member("arn", r.arn);
    w.Member("accountId", r.account_id);
    w.Member("accessKeyId", r.access_key_id);
    if (!r.user_name.empty()) w.Member("userName", r.user_name);
    w.End('}');
  }
  w.Key("requestParameters");
  if (r.request_parameters.is_null()) {
    w.Raw("null");
  } else {
    w.Parameters(r.request_parameters);
  }
  w.Key("responseElements");
  w.Raw("null");
  if (!r.error_code.empty()) {
    w.Member("errorCode", r.error_code);
    w.Member("errorMessage", r.error_message);
  }
  w.Member("requestID", r.request_id);
  w.Member("eventID", EventId());
  w.MemberBool("readOnly", IsReadOnly(r.event_name));
  w.Member("eventType", "AwsApiCall");
  w.MemberBool("managementEvent", true);
  w.Member("recipientAccountId", r.account_id);
  w.Member("eventCategory", "Management");
  bool extra = r.additional.is_object() && !r.additional.empty();
  if (extra || !r.decision.empty()) {
    w.Key("additionalEventData");
    w.Begin('{');
    if (extra) {
      for (auto it = r.additional.begin(); it != r.additional.end(); ++it) {
        w.Key(it.key());
        w.Parameters(it.value());
      }
    }
    if (!r.decision.empty()) w.Member("decision", r.decision);
    w.End('}');
  }
  w.End('}');
  return out;
}

}  // namespace iam::api
