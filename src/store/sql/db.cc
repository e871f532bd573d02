#include "store/sql/db.h"

#include "common/status_macros.h"

namespace iam::store::sql {

Status Stmt::Run() {
  for (;;) {
    IAM_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return Status();
  }
}

Result<int64_t> Stmt::InsertReturningId() {
  IAM_ASSIGN_OR_RETURN(bool row, Step());
  if (!row) return Internal("insert returned no id");
  int64_t id = Int(0);
  IAM_RETURN_IF_ERROR(Run());  // finish the statement so the write completes
  return id;
}

std::optional<int64_t> Stmt::OptInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}

}  // namespace iam::store::sql
