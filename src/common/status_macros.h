// Early-return helpers for Status and Result, in the style of leveldb's
// Recover(): call, check, return.
#pragma once

#include "iamd/status.h"

#define IAM_CONCAT_INNER_(a, b) a##b
#define IAM_CONCAT_(a, b) IAM_CONCAT_INNER_(a, b)

// Returns from the enclosing function if `expr` (a Status) is not OK.
#define IAM_RETURN_IF_ERROR(expr)                 \
  do {                                            \
    ::iam::Status iam_status_ = (expr);           \
    if (!iam_status_.ok()) return iam_status_;    \
  } while (0)

// `lhs = value of rexpr` (a Result<T>), or returns its Status.
#define IAM_ASSIGN_OR_RETURN(lhs, rexpr) \
  IAM_ASSIGN_OR_RETURN_IMPL_(IAM_CONCAT_(iam_result_, __LINE__), lhs, rexpr)
#define IAM_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                               \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(tmp).value()
