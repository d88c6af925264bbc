// setgroups/initgroups, setresgid, setresuid, then a check that setuid(0) fails.
#include "scanner/capture/privileges.hpp"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace herkomst::capture {

bool running_as_root() { return geteuid() == 0; }

std::variant<TargetUser, PrivilegeError> look_up_user(const std::string& name) {
  const std::string head = "--user " + name + ": ";
  if (name.empty()) return PrivilegeError{"--user: empty user name"};
  const long suggested = sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buffer(suggested > 0 ? static_cast<std::size_t>(suggested) : 16384);
  passwd entry{};
  passwd* found = nullptr;
  int rc = 0;
  while ((rc = getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found)) == ERANGE)
    buffer.resize(buffer.size() * 2);
  if (rc != 0) return PrivilegeError{head + "cannot read the user database: " + std::strerror(rc)};
  if (found == nullptr) return PrivilegeError{head + "no such user"};
  if (found->pw_uid == 0)
    return PrivilegeError{head + "is root (uid 0); to keep root use --no-drop-privileges"};
  return TargetUser{name, found->pw_uid, found->pw_gid};
}

std::optional<PrivilegeError> drop_privileges(const TargetUser& user) {
  const std::string head = "dropping privileges to " + user.name + ": ";
  if (initgroups(user.name.c_str(), user.gid) != 0) {
    // No group database entry for the user: keep only its primary group.
    if (setgroups(1, &user.gid) != 0) return PrivilegeError{head + "setgroups: " + std::strerror(errno)};
  }
  if (setresgid(user.gid, user.gid, user.gid) != 0) return PrivilegeError{head + "setresgid: " + std::strerror(errno)};
  if (setresuid(user.uid, user.uid, user.uid) != 0) return PrivilegeError{head + "setresuid: " + std::strerror(errno)};
  if (setuid(0) == 0 || geteuid() != user.uid || getegid() != user.gid)
    return PrivilegeError{head + "root could be regained; refusing to go on"};
  return std::nullopt;
}

}  // namespace herkomst::capture
