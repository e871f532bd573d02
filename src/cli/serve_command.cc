// `iamd serve` and `iamd account create` (shared/CONTRACTS.md).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "api/http/http_server.h"
#include "api/server/api_handler.h"
#include "cli/commands.h"
#include "cli/flags.h"
#include "common/status_macros.h"
#include "service/iam/aws_managed.h"
#include "service/iam/root_keys.h"
#include "store/ids.h"
#include "store/open_store.h"

namespace iam::cli {
namespace {

struct Opened {
  std::unique_ptr<store::Store> store;
  crypto::KeyRing ring;
  std::string data_dir;  // absolute
};

// The master key file: --master-key-file, else $IAMD_MASTER_KEY_FILE, else
// "" (SQLite then uses DIR's master.key; PostgreSQL refuses to open).
std::string MasterKeyFile(Flags& f) {
  if (f.has("master-key-file")) return f.get("master-key-file");
  const char* env = std::getenv("IAMD_MASTER_KEY_FILE");
  return env ? env : "";
}

// Opens the store and moves an older iamd's DIR/root_keys file into it.
Result<Opened> OpenData(const std::string& data, const std::string& store_url, const std::string& master_key_file) {
  std::error_code ec;
  std::filesystem::create_directories(data, ec);
  if (ec) return ServiceFailure("cannot create " + data + ": " + ec.message());
  ::chmod(data.c_str(), 0700);
  Opened o;
  o.data_dir = std::filesystem::absolute(data).lexically_normal().string();
  while (o.data_dir.size() > 1 && o.data_dir.back() == '/') o.data_dir.pop_back();
  store::StoreOptions options;
  options.url = store_url.empty() ? "sqlite://" + o.data_dir + "/iamd.db" : store_url;
  options.master_key_path = master_key_file;
  IAM_ASSIGN_OR_RETURN(o.store, store::OpenStore(options));
  IAM_ASSIGN_OR_RETURN(o.ring, o.store->LoadKeyRing());
  IAM_RETURN_IF_ERROR(service::ImportRootKeysFile(*o.store, o.data_dir + "/root_keys"));
  return o;
}

struct RootCredentials {
  std::string account_id;
  std::string access_key_id;
  std::string secret;
};

// Creates an account and its root access key in one transaction. With
// `first_start`, only if the store has no account yet: nodes starting at
// once on one empty database create one account between them (write
// transactions run one at a time), and the others get nothing.
Result<std::optional<RootCredentials>> CreateAccountWithKey(Opened& o, const std::string& account_id,
                                                            bool first_start) {
  std::optional<RootCredentials> out;
  IAM_RETURN_IF_ERROR(o.store->Transact(store::TxnMode::kWrite, [&](store::StoreOps& t) -> Status {
    out.reset();  // the transaction may run again
    if (first_start) {
      IAM_ASSIGN_OR_RETURN(std::vector<store::Account> accounts, t.ListAccounts());
      if (!accounts.empty()) return Status();
    }
    IAM_ASSIGN_OR_RETURN(store::Account account, t.CreateAccount(account_id, ""));
    RootCredentials c{account.account_id, store::NewAccessKeyId(), store::NewSecretAccessKey()};
    service::RootKey key;
    key.access_key_id = c.access_key_id;
    key.account_id = c.account_id;
    key.create_date = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
    IAM_ASSIGN_OR_RETURN(key.sealed_secret, o.ring.Seal(c.secret, c.access_key_id));
    IAM_RETURN_IF_ERROR(t.AddRootAccessKey(service::ToStore(key)));
    out = std::move(c);
    return Status();
  }));
  return out;
}

std::string CredentialsText(const std::string& profile, const RootCredentials& c) {
  return "[" + profile + "]\naws_access_key_id = " + c.access_key_id + "\naws_secret_access_key = " + c.secret +
         "\n";
}

Status WriteCredentialsFile(const std::string& path, const RootCredentials& c) {
  std::string text = CredentialsText("default", c);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return ServiceFailure("cannot write " + path + ": " + std::strerror(errno));
  ::fchmod(fd, 0600);
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return ServiceFailure("cannot write " + path);
  return Status();
}

int Fail(const std::string& what) {
  std::cerr << "iamd: " << what << "\n";
  return 1;
}

constexpr char kServeUsage[] =
    "usage: iamd serve --listen HOST:PORT --data DIR [--store URL] [--tls-cert F --tls-key F] [--threads N]\n"
    "                  [--read-timeout SECONDS] [--poll-interval SECONDS] [--max-stale SECONDS] [--notifications on|off]\n"
    "                  [--key-rotation-interval SECONDS] [--clock-offset-file F (tests only)]\n"
    "                  [--audit-log FILE|off] [--audit-max-bytes N] [--audit-files N]\n"
    "                  [--oidc-jwks-dir DIR]\n"
    "                  [--master-key-file F (PostgreSQL: required, the same on every node)]\n";
constexpr char kKeysUsage[] = "usage: iamd keys rotate --data DIR [--store URL] [--master-key-file F]\n";

// Seconds (fractions allowed) between `min` and `max` from flag `name`.
Result<std::chrono::milliseconds> SecondsFlag(const Flags& f, const std::string& name, double min, double max,
                                              std::chrono::milliseconds fallback) {
  if (!f.has(name)) return fallback;
  const std::string text = f.get(name);
  char* end = nullptr;
  double seconds = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !(seconds >= min) || seconds > max) {
    return InvalidInput("--" + name + ": expected seconds between " + std::to_string(static_cast<int>(min)) +
                        " and " + std::to_string(static_cast<int>(max)) + ", got '" + text + "'");
  }
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000 + 0.5));
}

// Every few seconds: rotate the sealing key once the current one is older
// than the interval. The age is the store's, so that several nodes rotate
// about once per interval between them, not once each; keys other nodes add
// reach the ring through the StoreWatcher.
class KeyMaintenance {
 public:
  KeyMaintenance(store::Store& store, api::LiveKeyRing& ring, int64_t rotation_interval_seconds)
      : store_(store), ring_(ring), interval_(rotation_interval_seconds), thread_([this] { Run(); }) {}
  ~KeyMaintenance() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  // True when the store's current key is at least interval_ old.
  bool Due() {
    Result<std::vector<store::WrappedKey>> keys = store_.ListWrappedKeys();
    if (!keys.ok()) return false;  // the database is away: rotate later
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count();
    for (const store::WrappedKey& k : *keys) {
      if (k.is_current) return now - k.create_date >= interval_;
    }
    return true;
  }

  void Run() {
    std::unique_lock<std::mutex> lock(mu_);
    while (interval_ > 0 && !cv_.wait_for(lock, std::chrono::seconds(2), [this] { return stop_; })) {
      lock.unlock();
      if (Due()) {
        Result<uint32_t> id = ring_.Rotate();
        if (id.ok()) {
          std::cout << "iamd: sealing key rotated, now key " << *id << "\n" << std::flush;
        } else {
          std::cerr << "iamd: key rotation failed: " << id.status().ToString() << "\n";
        }
      }
      lock.lock();
    }
  }

  store::Store& store_;
  api::LiveKeyRing& ring_;
  int64_t interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};
constexpr char kAccountUsage[] =
    "usage: iamd account create --data DIR [--store URL] [--master-key-file F] [--account-id ID]\n";

}  // namespace

int RunServe(int argc, char** argv) {
  Flags f = ParseFlags(argc, argv, 2);
  if (!f.error.empty()) return std::cerr << "iamd serve: " << f.error << "\n" << kServeUsage, 2;
  for (const auto& [name, value] : f.values) {
    if (name != "listen" && name != "data" && name != "store" && name != "tls-cert" && name != "tls-key" &&
        name != "threads" && name != "read-timeout" && name != "poll-interval" && name != "max-stale" &&
        name != "notifications" &&
        name != "key-rotation-interval" && name != "clock-offset-file" && name != "audit-log" &&
        name != "audit-max-bytes" && name != "audit-files" && name != "oidc-jwks-dir" &&
        name != "master-key-file") {
      return std::cerr << "iamd serve: unknown flag --" << name << "\n" << kServeUsage, 2;
    }
  }
  if (!f.values.contains("listen") || !f.values.contains("data")) return std::cerr << kServeUsage, 2;

  http::HttpServerOptions options;
  Result<http::ListenAddress> address = http::ParseListenAddress(f.values["listen"]);
  if (!address.ok()) return Fail(address.status().message());
  options.endpoint = *address;
  options.tls_cert_file = f.values["tls-cert"];
  options.tls_key_file = f.values["tls-key"];
  if (f.values.contains("threads")) options.threads = std::atoi(f.values["threads"].c_str());
  // How long a client may take to send a whole request.
  Result<std::chrono::milliseconds> read_timeout = SecondsFlag(f, "read-timeout", 0.001, 3600, options.read_timeout);
  if (!read_timeout.ok()) return Fail(read_timeout.status().message());
  options.read_timeout = *read_timeout;
  // How often other nodes' writes are looked for, and how long this node
  // decides from its caches without reaching the database (0: forever).
  api::StoreWatcherOptions watch;
  Result<std::chrono::milliseconds> poll = SecondsFlag(f, "poll-interval", 0.01, 5, watch.poll_interval);
  if (!poll.ok()) return Fail(poll.status().message());
  watch.poll_interval = *poll;
  Result<std::chrono::milliseconds> max_stale = SecondsFlag(f, "max-stale", 0, 86400, watch.max_stale);
  if (!max_stale.ok()) return Fail(max_stale.status().message());
  watch.max_stale = *max_stale;
  const std::string notifications = f.get("notifications", "on");
  if (notifications != "on" && notifications != "off") return Fail("--notifications: expected on or off");
  watch.notifications = notifications == "on";
  int64_t rotation_interval = 0;
  if (f.values.contains("key-rotation-interval")) {
    rotation_interval = std::atoll(f.values["key-rotation-interval"].c_str());
    if (rotation_interval < 60) return Fail("--key-rotation-interval must be at least 60 seconds");
  }

  Result<Opened> opened = OpenData(f.values["data"], f.values["store"], MasterKeyFile(f));
  if (!opened.ok()) return Fail(opened.status().ToString());
  Opened& o = *opened;
  service::RootKeys root_keys(*o.store);
  const std::string credentials_path = o.data_dir + "/credentials";

  // First start: the account and its root credentials, written to DIR/credentials.
  Result<std::optional<RootCredentials>> created = CreateAccountWithKey(o, "", /*first_start=*/true);
  if (!created.ok()) return Fail(created.status().ToString());
  if (*created) {
    Status written = WriteCredentialsFile(credentials_path, **created);
    if (!written.ok()) return Fail(written.ToString());
  }
  Result<std::vector<store::Account>> accounts = o.store->ListAccounts();
  if (!accounts.ok()) return Fail(accounts.status().ToString());
  if (accounts->empty()) return Fail("the store has no account");
  std::string account_id = *created ? (*created)->account_id : accounts->front().account_id;

  Status seeded = service::SeedAwsManagedPolicies(*o.store, account_id);
  if (!seeded.ok()) return Fail(seeded.ToString());

  api::LiveKeyRing ring(*o.store, std::move(o.ring));
  // The audit trail: DIR/audit.log unless --audit-log names another file or "off".
  std::unique_ptr<api::AuditLog> audit;
  std::string audit_path = f.get("audit-log", o.data_dir + "/audit.log");
  if (audit_path != "off") {
    api::AuditLogOptions audit_options{.path = audit_path};
    if (f.has("audit-max-bytes")) audit_options.max_bytes = std::strtoull(f.get("audit-max-bytes").c_str(), nullptr, 10);
    if (f.has("audit-files")) audit_options.max_files = std::atoi(f.get("audit-files").c_str());
    Result<std::unique_ptr<api::AuditLog>> opened_log = api::AuditLog::Open(audit_options);
    if (!opened_log.ok()) return Fail(opened_log.status().ToString());
    audit = std::move(opened_log).value();
  }
  api::StoreWatcher watcher(*o.store, ring, watch);
  api::ApiHandler handler(*o.store, ring, root_keys, api::SessionClock(f.values["clock-offset-file"]), audit.get(),
                          &watcher);
  // AssumeRoleWithWebIdentity: provider https://HOST/PATH's keys are DIR/HOST/PATH/jwks.json.
  handler.SetOidcJwksDir(f.get("oidc-jwks-dir", ""));
  KeyMaintenance maintenance(*o.store, ring, rotation_interval);
  // Past --max-stale without the database, /healthz says 503 too, so that a
  // load balancer takes this node out until it reaches the database again.
  options.health = [&watcher] { return watcher.Fresh(); };
  http::TerminationSignals signals;
  Result<std::unique_ptr<http::HttpServer>> server =
      http::HttpServer::Start(options, [&handler](const http::HttpRequest& r) { return handler.Handle(r); });
  if (!server.ok()) return Fail(server.status().ToString());
  std::string host = options.endpoint.host.find(':') != std::string::npos ? "[" + options.endpoint.host + "]"
                                                                           : options.endpoint.host;
  std::cout << "iamd: serving IAM and STS at " << (options.tls_cert_file.empty() ? "http" : "https") << "://"
            << host << ":" << (*server)->port() << "\n"
            << "iamd: account " << account_id << "\n"
            << "iamd: credentials " << credentials_path << "\n"
            << std::flush;
  signals.Wait();
  (*server)->Stop();
  std::cout << "iamd: stopped\n" << std::flush;
  return 0;
}

int RunKeys(int argc, char** argv) {
  if (argc < 3 || std::string(argv[2]) != "rotate") return std::cerr << kKeysUsage, 2;
  Flags f = ParseFlags(argc, argv, 3);
  if (!f.error.empty()) return std::cerr << "iamd keys rotate: " << f.error << "\n" << kKeysUsage, 2;
  for (const auto& [name, value] : f.values) {
    if (name != "data" && name != "store" && name != "master-key-file") {
      return std::cerr << "iamd keys rotate: unknown flag --" << name << "\n" << kKeysUsage, 2;
    }
  }
  if (!f.values.contains("data")) return std::cerr << kKeysUsage, 2;
  Result<Opened> opened = OpenData(f.values["data"], f.values["store"], MasterKeyFile(f));
  if (!opened.ok()) return Fail(opened.status().ToString());
  Result<uint32_t> id = opened->store->RotateKey();
  if (!id.ok()) return Fail(id.status().ToString());
  std::cout << "iamd: sealing key rotated, now key " << *id << "\n" << std::flush;
  return 0;
}

int RunAccount(int argc, char** argv) {
  if (argc < 3 || std::string(argv[2]) != "create") return std::cerr << kAccountUsage, 2;
  Flags f = ParseFlags(argc, argv, 3);
  if (!f.error.empty()) return std::cerr << "iamd account create: " << f.error << "\n" << kAccountUsage, 2;
  for (const auto& [name, value] : f.values) {
    if (name != "data" && name != "store" && name != "account-id" && name != "master-key-file") {
      return std::cerr << "iamd account create: unknown flag --" << name << "\n" << kAccountUsage, 2;
    }
  }
  if (!f.values.contains("data")) return std::cerr << kAccountUsage, 2;
  Result<Opened> opened = OpenData(f.values["data"], f.values["store"], MasterKeyFile(f));
  if (!opened.ok()) return Fail(opened.status().ToString());
  Result<std::optional<RootCredentials>> c = CreateAccountWithKey(*opened, f.values["account-id"], false);
  if (!c.ok()) return Fail(c.status().ToString());
  std::cout << CredentialsText((*c)->account_id, **c) << std::flush;
  return 0;
}

}  // namespace iam::cli
