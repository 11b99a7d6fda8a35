// Everything rhc offers, in one include.
#pragma once

#include <rhc/cancel.hpp>
#include <rhc/circuit_state.hpp>
#include <rhc/client.hpp>
#include <rhc/config.hpp>
#include <rhc/duration.hpp>
#include <rhc/errors.hpp>
#include <rhc/events.hpp>
#include <rhc/metrics.hpp>
#include <rhc/request.hpp>
#include <rhc/response.hpp>
#include <rhc/stats.hpp>
#include <rhc/version.hpp>
