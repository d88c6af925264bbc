// Reads one capture (a file from start to end, or an interface until a limit or a stop) and
// feeds every frame to a PassiveObserver.
//
// The result describes the input for the scan record: format, size, counters (frames,
// captured bytes, frames that were truncated by the snap length, malformed, of an
// unsupported link type) and, when reading stopped early, the error naming the file and place.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "inventory/model.hpp"
#include "scanner/capture/live_source.hpp"
#include "scanner/passive/passive_observer.hpp"

namespace herkomst::passive {

// Called now and then with (bytes read, total bytes) of the current input; for a live
// capture total is 0 (unknown) until the end, when done == total.
using Progress = std::function<void(std::uint64_t done, std::uint64_t total)>;

// Reads `path` into `observer`. On a file that cannot be opened the input's status is
// "failed"; on a file that ends inside a frame or block it is "truncated" (frames before the
// damage were observed); otherwise "read". `error` says what went wrong.
ScanInput scan_capture_file(const std::string& path, PassiveObserver& observer, const Progress& progress = {});

// Captures from the opened interface into `observer` until the source's packet limit,
// duration or stop flag. The input is path "iface:<name>", format "live", bytes captured,
// status "read", or "interrupted" with `error` when the capture failed part-way (frames before
// that were observed). Counters as for files plus capture.received, capture.dropped and
// capture.if_dropped from libpcap's statistics.
ScanInput scan_live_interface(capture::LiveSource& source, PassiveObserver& observer, const Progress& progress = {});

}  // namespace herkomst::passive
