#include "store/postgres/pg_db.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <cstring>
#include <vector>

#include "common/status_macros.h"

namespace iam::store::postgres {
namespace {

constexpr unsigned kByteaOid = 17;
constexpr unsigned kBoolOid = 16;
constexpr unsigned kInt8Oid = 20;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

class PgCursor final : public sql::Cursor {
 public:
  PgCursor(PgDb& db, const char* sql) : db_(db), sql_(sql) {}
  ~PgCursor() override {
    if (res_) PQclear(res_);
  }

  void BindText(int i, std::string_view v) override { Set(i, std::string(v), 0, 0, false); }
  // Integers are typed: the server could deduce different types for one
  // parameter used twice ("?1 + 1" and "= ?1").
  void BindInt(int i, int64_t v) override { Set(i, std::to_string(v), kInt8Oid, 0, false); }
  void BindNull(int i) override { Set(i, "", 0, 0, true); }
  void BindBlob(int i, std::string_view v) override { Set(i, std::string(v), kByteaOid, 1, false); }

  Result<bool> Step() override {
    if (!res_) {
      size_t n = params_.size();
      std::vector<const char*> values(n);
      std::vector<int> lengths(n), formats(n);
      std::vector<unsigned> types(n);
      for (size_t i = 0; i < n; ++i) {
        values[i] = params_[i].null ? nullptr : params_[i].bytes.data();
        lengths[i] = static_cast<int>(params_[i].bytes.size());
        formats[i] = params_[i].format;
        types[i] = params_[i].type;
      }
      IAM_ASSIGN_OR_RETURN(res_, db_.Execute(sql_, static_cast<int>(n), types.data(), values.data(),
                                             lengths.data(), formats.data()));
      rows_ = PQntuples(res_);
      row_ = -1;
    }
    if (row_ + 1 >= rows_) return false;
    ++row_;
    return true;
  }

  int64_t Int(int col) const override {
    const char* v = PQgetvalue(res_, row_, col);
    if (PQftype(res_, col) == kBoolOid) return v[0] == 't' ? 1 : 0;
    return std::strtoll(v, nullptr, 10);
  }

  std::string Text(int col) const override {
    if (PQgetisnull(res_, row_, col)) return std::string();
    const char* v = PQgetvalue(res_, row_, col);
    if (PQftype(res_, col) != kByteaOid) return std::string(v, PQgetlength(res_, row_, col));
    size_t n = 0;
    unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(v), &n);
    std::string out(reinterpret_cast<const char*>(raw), n);
    PQfreemem(raw);
    return out;
  }

  bool IsNull(int col) const override { return PQgetisnull(res_, row_, col) != 0; }

 private:
  struct Param {
    std::string bytes;
    unsigned type = 0;  // 0: the server infers it from the statement
    int format = 0;     // 0 text, 1 binary
    bool null = false;
  };
  void Set(int i, std::string bytes, unsigned type, int format, bool null) {
    if (params_.size() < static_cast<size_t>(i)) params_.resize(i);
    params_[i - 1] = {std::move(bytes), type, format, null};
  }

  PgDb& db_;
  const char* sql_;
  std::vector<Param> params_;
  PGresult* res_ = nullptr;
  int rows_ = 0;
  int row_ = -1;
};

}  // namespace

std::string ToDollarParams(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int largest = 0;
  char quote = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote) {
      if (c == quote) quote = 0;
      out += c;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c != '?') {
      out += c;
      continue;
    }
    size_t j = i + 1;
    int n = 0;
    while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') n = n * 10 + (sql[j++] - '0');
    if (j == i + 1) n = largest + 1;
    if (n > largest) largest = n;
    out += '$';
    out += std::to_string(n);
    i = j - 1;
  }
  return out;
}

Result<std::unique_ptr<PgDb>> PgDb::Connect(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  std::unique_ptr<PgDb> db(new PgDb(conn));  // Owns conn even on failure.
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    std::string msg = conn ? PQerrorMessage(conn) : "out of memory";
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    return ServiceFailure("cannot connect to PostgreSQL: " + msg);
  }
  // Quiet NOTICEs (e.g. "relation already exists, skipping") off stderr.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  IAM_RETURN_IF_ERROR(db->Exec("SET client_min_messages = warning; SET TIME ZONE 'UTC'"));
  return db;
}

PgDb::~PgDb() {
  if (conn_) PQfinish(conn_);
}

bool PgDb::healthy() const { return conn_ && PQstatus(conn_) == CONNECTION_OK; }

Status PgDb::StatusFrom(PGresult* res, std::string_view what) {
  std::string msg = std::string(what) + ": " + (res ? PQresultErrorMessage(res) : PQerrorMessage(conn_));
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string_view code = state ? state : "";
  if (!healthy() || code.empty() || code.substr(0, 2) == "08" || code.substr(0, 3) == "57P") {
    return ServiceFailure(std::move(msg));  // connection lost or server shutting down
  }
  if (code == "40001" || code == "40P01") {
    retryable_ = true;
    return Status(StatusCode::kConcurrentModification, std::move(msg));
  }
  if (code == "23505") return Status(StatusCode::kEntityAlreadyExists, "The entity already exists.");
  if (code == "55P03" || code == "57014") return Status(StatusCode::kConcurrentModification, std::move(msg));
  return Internal(std::move(msg));
}

Status PgDb::Exec(const char* sql) {
  ResultPtr res(PQexec(conn_, sql));
  ExecStatusType st = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return Status();
  return StatusFrom(res.get(), "exec failed");
}

Result<PGresult*> PgDb::Execute(const char* sql, int n, const unsigned* types, const char* const* values,
                                const int* lengths, const int* formats) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = "s" + std::to_string(prepared_.size());
    std::string text = ToDollarParams(sql);
    ResultPtr res(PQprepare(conn_, name.c_str(), text.c_str(), n, types));
    if (!res || PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
      return StatusFrom(res.get(), std::string("prepare failed for ") + sql);
    }
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  PGresult* res = PQexecPrepared(conn_, it->second.c_str(), n, values, lengths, formats, 0);
  ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    Status s = StatusFrom(res, "statement failed");
    PQclear(res);
    return s;
  }
  const char* cmd = PQcmdStatus(res);
  if (std::strncmp(cmd, "INSERT", 6) == 0 || std::strncmp(cmd, "UPDATE", 6) == 0 ||
      std::strncmp(cmd, "DELETE", 6) == 0) {
    changes_ += std::strtoll(PQcmdTuples(res), nullptr, 10);
  }
  return res;
}

std::unique_ptr<sql::Cursor> PgDb::NewCursor(const char* sql) { return std::make_unique<PgCursor>(*this, sql); }

}  // namespace iam::store::postgres
