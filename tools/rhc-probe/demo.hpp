// `rhc-probe demo`: starts the failure-injection server in-process and walks through the
// resilience scenarios of the Python guide (the usage guide of the Python library rhc ports),
// saying what happened and why.
#pragma once

namespace rhc::probe {

// Returns 0 if every scenario behaved as expected, 1 otherwise.
int run_demo(bool verbose);

}  // namespace rhc::probe
