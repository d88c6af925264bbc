// Giving up root after the capture handle is open.
//
// A live scan needs root (or CAP_NET_RAW) only to open the capture handle; everything after
// that, decoding untrusted traffic included, runs with the rights of an ordinary user. When
// the process runs as root, drop_privileges() switches the real, effective and saved user and
// group ids to the given user (supplementary groups: that user's), which clears all
// capabilities, and checks that root cannot be regained. Descriptors opened before the switch
// (capture socket, database, BOM file) stay usable.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <variant>

namespace herkomst::capture {

struct PrivilegeError {
  std::string message;  // names the user: "--user herkomst: no such user"
};

struct TargetUser {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
};

// True when the effective user id is 0.
bool running_as_root();

// Looks `name` up in the user database. Fails when there is no such user or it is root itself.
std::variant<TargetUser, PrivilegeError> look_up_user(const std::string& name);

// Becomes `user` for good (supplementary groups, gid, uid, in that order). Only for root.
std::optional<PrivilegeError> drop_privileges(const TargetUser& user);

}  // namespace herkomst::capture
