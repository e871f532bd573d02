#include "store/open_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/status_macros.h"
#include "crypto/aead.h"
#include "store/sqlite/sqlite_store.h"
#ifdef IAMD_WITH_POSTGRES
#include "store/postgres/postgres_store.h"
#endif

namespace iam::store {
namespace {

constexpr std::string_view kSqlitePrefix = "sqlite://";
constexpr std::string_view kSqliteMemory = "sqlite::memory:";

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

std::string DirName(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

Result<std::string> ReadKeyFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ServiceFailure(Errno("cannot open " + path));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return ServiceFailure(Errno("cannot stat " + path));
  }
  if (st.st_mode & 077) {
    ::close(fd);
    return AccessDenied(path + " must not be accessible by group or others (chmod 600)");
  }
  std::string key(crypto::kAeadKeySize + 1, '\0');
  ssize_t n = ::read(fd, key.data(), key.size());
  ::close(fd);
  if (n != static_cast<ssize_t>(crypto::kAeadKeySize)) {
    return ServiceFailure(path + " must hold exactly 32 bytes");
  }
  key.resize(crypto::kAeadKeySize);
  return key;
}

}  // namespace

Result<std::string> ReadOrCreateMasterKey(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno != EEXIST) return ServiceFailure(Errno("cannot create " + path));
    return ReadKeyFile(path);
  }
  std::string key = crypto::GenerateAeadKey();
  bool ok = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    return ServiceFailure(Errno("cannot write " + path));
  }
  return key;
}

namespace {

// Opens a PostgreSQL store. The master key cannot live beside the database,
// and every node needs the same one: it comes from the options or a file
// the operator gives (never created here, so a node cannot mint its own).
Result<std::unique_ptr<Store>> OpenPostgres(const StoreOptions& options) {
#ifdef IAMD_WITH_POSTGRES
  std::string master_key = options.master_key;
  if (master_key.empty()) {
    if (options.master_key_path.empty()) {
      return InvalidInput("A PostgreSQL store needs the master key that every node shares: "
                          "give --master-key-file FILE (or IAMD_MASTER_KEY_FILE), 32 bytes, mode 0600.");
    }
    IAM_ASSIGN_OR_RETURN(master_key, ReadKeyFile(options.master_key_path));
  }
  if (master_key.size() != crypto::kAeadKeySize) return InvalidInput("The master key must be 32 bytes.");
  postgres::PostgresOptions po;
  po.url = options.url;
  po.quotas = options.quotas;
  po.clock = options.clock;
  po.max_connections = options.max_connections;
  return postgres::OpenPostgresStore(po, std::move(master_key));
#else
  (void)options;
  return InvalidInput("The PostgreSQL store backend is not built into this iamd.");
#endif
}

// A first open gets the first key; later opens prove the master key fits.
Status PrepareKeyRing(Store& store) {
  IAM_ASSIGN_OR_RETURN(crypto::KeyRing ring, store.LoadKeyRing());
  if (ring.empty()) IAM_RETURN_IF_ERROR(store.CreateFirstKey());
  return Status();
}

}  // namespace

Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options) {
  sqlite::SqliteOptions so;
  so.quotas = options.quotas;
  so.clock = options.clock;
  so.max_connections = options.max_connections;
  so.busy_timeout_ms = options.busy_timeout_ms;
  std::string master_key = options.master_key;
  const std::string& url = options.url;
  if (url == kSqliteMemory) {
    so.path = ":memory:";
    if (master_key.empty()) {
      if (options.master_key_path.empty()) {
        master_key = crypto::GenerateAeadKey();
      } else {
        IAM_ASSIGN_OR_RETURN(master_key, ReadOrCreateMasterKey(options.master_key_path));
      }
    }
  } else if (url.rfind(kSqlitePrefix, 0) == 0) {
    so.path = url.substr(kSqlitePrefix.size());
    if (so.path.empty()) return InvalidInput("Store URL " + url + " names no file.");
    if (master_key.empty()) {
      std::string key_path = options.master_key_path.empty() ? DirName(so.path) + "/master.key"
                                                             : options.master_key_path;
      IAM_ASSIGN_OR_RETURN(master_key, ReadOrCreateMasterKey(key_path));
    }
  } else if (url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0) {
    IAM_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenPostgres(options));
    IAM_RETURN_IF_ERROR(PrepareKeyRing(*store));
    return store;
  } else {
    return InvalidInput("Unknown store URL " + url +
                        "; expected sqlite:///path/iamd.db, sqlite::memory: or postgres://...");
  }
  if (master_key.size() != crypto::kAeadKeySize) return InvalidInput("The master key must be 32 bytes.");
  IAM_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, sqlite::OpenSqliteStore(so, std::move(master_key)));
  IAM_RETURN_IF_ERROR(PrepareKeyRing(*store));
  return store;
}

}  // namespace iam::store
