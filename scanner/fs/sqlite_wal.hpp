// An SQLite database as a reader opening it would see it: the main file with the committed
// frames of its write-ahead log (the "-wal" file beside it) laid over it. A database in WAL mode
// (rpm's rpmdb.sqlite) keeps recent transactions only in the -wal file until a checkpoint; a
// copied root filesystem of a running machine, or one that stopped without a checkpoint, has
// packages there that the main file does not show.
//
// Format (https://www.sqlite.org/fileformat2.html#the_write_ahead_log): a 32-byte header
// (big-endian: magic 0x377f0682 or 0x377f0683 whose low bit says the checksum words are big-
// endian, format 3007000, page size, checkpoint sequence, salt-1, salt-2, checksum-1, checksum-2
// over the first 24 bytes), then frames: a 24-byte header (page number, the database size in
// pages for the frame that commits a transaction and 0 otherwise, salt-1, salt-2, cumulative
// checksum-1 and -2 over the first 8 bytes of this header and the page) and one page. A frame is
// valid when its salts are the header's and its checksum continues the chain; the frames up to
// the last valid commit frame are applied in order, the rest (an unfinished transaction, frames
// left from before the log was restarted) are not. Nothing is written: the result is a new image.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace herkomst::fs {

struct WalApplied {
  std::string database;           // the image with the committed frames applied
  std::uint64_t frames = 0;       // frames applied
  std::uint64_t frames_left = 0;  // frames in the file after the last valid commit
};

struct WalError {
  std::string message;
};

// `database`: the main file's bytes (may be empty when every page is still in the log).
std::variant<WalApplied, WalError> apply_sqlite_wal(std::string_view database, std::string_view wal);

}  // namespace herkomst::fs
