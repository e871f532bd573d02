#include "api/server/authorize_request.h"

#include <algorithm>
#include <limits>

#include <nlohmann/json.hpp>

namespace iam::api {
namespace {

using Type = policy::JsonNode::Type;

constexpr uint32_t kNoDefaults = std::numeric_limits<uint32_t>::max();

Status BadHeaderList() {
  return InvalidInput("signed_request.headers must be an object or a list of [name, value] pairs.");
}

}  // namespace

std::string_view AuthorizeQuestion::ContextString(std::string_view key) const {
  for (const ContextEntry& e : context) {
    if (e.key == key) return e.multi ? std::string_view() : e.values.front();
  }
  return {};
}

const std::vector<std::pair<std::string_view, uint32_t>>& AuthorizeBodyReader::SortedMembers(uint32_t obj) {
  members_.clear();
  policy::JsonChildren it(doc_, obj);
  uint32_t k, v;
  while (it.NextMember(k, v)) members_.emplace_back(doc_.node(k).text, v);
  if (members_.size() > 1) {
    std::sort(members_.begin(), members_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  }
  return members_;
}

std::string_view AuthorizeBodyReader::Str(uint32_t obj, std::string_view key) const {
  uint32_t v = doc_.Find(obj, key);
  return v != 0 && doc_.node(v).type == Type::kString ? doc_.node(v).text : std::string_view();
}

Status AuthorizeBodyReader::Read(std::string_view text, AuthorizeBody& out, std::string_view& where) {
  const size_t no_limit = std::numeric_limits<uint32_t>::max();
  if (!doc_.Parse(text, no_limit, no_limit)) {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) return InvalidInput("The request body must be a JSON object.");
    rendered_ = j.dump();
    if (!doc_.Parse(rendered_, no_limit, no_limit)) return Internal("the request body could not be read");
  }
  const uint32_t root = doc_.root();
  if (doc_.node(root).type != Type::kObject) return InvalidInput("The request body must be a JSON object.");
  out.questions.clear();
  const uint32_t requests = doc_.Find(root, "requests");
  out.batch = requests != 0;
  if (out.batch) {
    const policy::JsonNode& list = doc_.node(requests);
    if (list.type != Type::kArray || list.size == 0) return InvalidInput("requests must be a non-empty list.");
    if (list.size > kMaxAuthorizeBatch) {
      return Status(StatusCode::kLimitExceeded,
                    "At most " + std::to_string(kMaxAuthorizeBatch) + " requests in one batch.");
    }
    out.questions.resize(list.size);
    policy::JsonChildren it(doc_, requests);
    uint32_t item;
    for (size_t i = 0; it.Next(item); ++i) {
      const std::string prefix = "requests[" + std::to_string(i) + "]";
      if (doc_.node(item).type != Type::kObject) return InvalidInput(prefix + " must be an object.");
      if (Status s = ReadQuestion(item, root, prefix + ".", out.questions[i]); !s.ok()) return s;
    }
  } else {
    out.questions.resize(1);
    if (Status s = ReadQuestion(root, kNoDefaults, "", out.questions[0]); !s.ok()) return s;
  }
  const uint32_t arn = doc_.Find(root, "principal_arn");
  const uint32_t forwarded = doc_.Find(root, "signed_request");
  if ((arn != 0) == (forwarded != 0)) return InvalidInput("Give exactly one of principal_arn and signed_request.");
  out.by_arn = arn != 0;
  out.principal_arn = Str(root, "principal_arn");
  if (!out.by_arn) {
    if (Status s = ReadForwarded(forwarded, out.forwarded); !s.ok()) {
      where = "signed_request";
      return s;
    }
  }
  return Status();
}

Status AuthorizeBodyReader::ReadQuestion(uint32_t obj, uint32_t defaults, const std::string& where,
                                         AuthorizeQuestion& q) {
  auto member = [&](std::string_view key) -> uint32_t {
    if (uint32_t v = doc_.Find(obj, key); v != 0) return v;
    return defaults != kNoDefaults ? doc_.Find(defaults, key) : 0;
  };
  q.action = Str(obj, "action");
  if (q.action.empty() || q.action.find(':') == std::string::npos || q.action.find('*') != std::string::npos) {
    return InvalidInput(where + "action must be one service:Action without wildcards.");
  }
  q.resource = Str(obj, "resource");
  if (q.resource.empty()) return InvalidInput(where + "resource is required (\"*\" for actions without resources).");
  q.resource_account.clear();
  if (uint32_t a = member("resource_account"); a != 0) {
    if (doc_.node(a).type != Type::kString) return InvalidInput(where + "resource_account must be a string.");
    q.resource_account = doc_.node(a).text;
  }
  q.context.clear();
  if (uint32_t ctx = member("context"); ctx != 0) {
    if (doc_.node(ctx).type != Type::kObject) return InvalidInput(where + "context must be an object.");
    for (const auto& [key, value] : SortedMembers(ctx)) {
      const policy::JsonNode& v = doc_.node(value);
      ContextEntry e{key, v.type == Type::kArray, {}};
      bool ok = v.type == Type::kString;
      if (e.multi) {
        ok = true;
        policy::JsonChildren it(doc_, value);
        uint32_t item;
        while (ok && it.Next(item)) {
          ok = doc_.node(item).type == Type::kString;
          e.values.push_back(doc_.node(item).text);
        }
      } else {
        e.values.push_back(v.text);
      }
      if (!ok) return InvalidInput(where + "context." + std::string(key) + " must be a string or a list of strings.");
      q.context.push_back(std::move(e));
    }
  }
  q.resource_policy.reset();
  if (uint32_t rp = member("resource_policy"); rp != 0 && doc_.node(rp).type != Type::kNull) {
    const policy::JsonNode& n = doc_.node(rp);
    std::string text;
    switch (n.type) {
      case Type::kString: text = n.text; break;
      case Type::kTrue: text = "true"; break;
      case Type::kFalse: text = "false"; break;
      default: text = nlohmann::json::parse(n.text).dump(); break;  // as the endpoint always rendered it
    }
    Result<policy::Policy> p = policy::Policy::Parse(
        text, policy::IsTrustAction(q.action) ? policy::PolicyType::kTrust : policy::PolicyType::kResource);
    if (!p.ok()) return Status(p.status().code(), "resource_policy: " + p.status().message());
    q.resource_policy = *p;
  }
  return Status();
}

Status AuthorizeBodyReader::ReadForwarded(uint32_t node, ForwardedRequest& f) {
  if (doc_.node(node).type != Type::kObject) return InvalidInput("signed_request must be an object.");
  f.method = Str(node, "method");
  f.path = Str(node, "path");
  f.query = Str(node, "query");
  f.body = Str(node, "body");
  f.payload_hash = Str(node, "payload_hash");
  f.headers.clear();
  if (f.method.empty()) return InvalidInput("signed_request.method is required.");
  if (f.path.empty()) f.path = "/";
  const uint32_t h = doc_.Find(node, "headers");
  if (h == 0) return InvalidInput("signed_request.headers is required.");
  if (doc_.node(h).type == Type::kObject) {
    for (const auto& [name, value] : SortedMembers(h)) {
      if (doc_.node(value).type != Type::kString) return InvalidInput("signed_request.headers values must be strings.");
      f.headers.emplace_back(name, doc_.node(value).text);
    }
  } else if (doc_.node(h).type == Type::kArray) {
    policy::JsonChildren it(doc_, h);
    uint32_t pair;
    while (it.Next(pair)) {
      const policy::JsonNode& p = doc_.node(pair);
      if (p.type != Type::kArray || p.size != 2) return BadHeaderList();
      const uint32_t name = pair + 1, value = doc_.node(name).end;
      if (doc_.node(name).type != Type::kString || doc_.node(value).type != Type::kString) return BadHeaderList();
      f.headers.emplace_back(doc_.node(name).text, doc_.node(value).text);
    }
  } else {
    return BadHeaderList();
  }
  return Status();
}

}  // namespace iam::api
