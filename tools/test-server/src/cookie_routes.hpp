// The cookie endpoints: Set-Cookie on request, and an echo of the Cookie header received, so
// a client's cookie jar can be checked from the server's side.
#pragma once

#include <httplib.h>

namespace rhc::test_server::detail {

// Registers (docs/testing.md, "Transport endpoints"):
//   GET /cookies/set?NAME=VALUE[&NAME2=VALUE2...]  one `Set-Cookie: NAME=VALUE; Path=/` each
//   GET /cookies/set-one?name=N&value=V[&path=P][&domain=D][&max_age=S][&secure=true]
//       [&http_only=true]                          one Set-Cookie with those attributes
//   GET|POST /cookies, GET|POST /cookies/echo/...  the Cookie header this request carried
// Bad names, values or attributes get a 400 and set nothing. These endpoints draw no fault.
void install_cookie_routes(httplib::Server& server);

}  // namespace rhc::test_server::detail
