// An HTTP request as SigV4 sees it.
#pragma once

#include <vector>

#include "api/http/http_types.h"
#include "auth/sigv4.h"

namespace iam::api {

// A view of `request`; `headers` holds the header views and must outlive it.
inline auth::HttpRequestView SigV4View(const http::HttpRequest& request, std::vector<auth::HttpHeader>& headers) {
  headers.clear();
  headers.reserve(request.headers.size());
  for (const auto& [name, value] : request.headers) headers.push_back({name, value});
  auth::HttpRequestView view;
  view.method = request.method;
  view.path = request.Path();
  view.query = request.Query();
  view.headers = headers;
  view.body = request.body;
  return view;
}

}  // namespace iam::api
