// The catalogers herkomst runs over a filesystem, each a few declarative lines: a name, the globs
// of the files it wants (relative to the scan root), how much of a file it reads, and its parser
// (scanner/fs/<cataloger>.hpp). The walk (walker.hpp) feeds them.
#pragma once

#include <vector>

#include "scanner/fs/walker.hpp"

namespace herkomst::fs {

struct AuthenticodeOptions;  // authenticode_verify.hpp

Cataloger dpkg_status_cataloger();   // **/var/lib/dpkg/status, **/var/lib/dpkg/status.d/*
Cataloger python_cataloger();        // **/*.dist-info/METADATA, **/*.egg-info/PKG-INFO, **/*.egg-info
Cataloger npm_lock_cataloger();      // **/package-lock.json, **/npm-shrinkwrap.json
Cataloger npm_package_cataloger();   // **/node_modules/*/package.json, **/node_modules/@*/*/package.json
Cataloger apk_installed_cataloger(); // **/lib/apk/db/installed
Cataloger rpm_sqlite_cataloger();    // **/var/lib/rpm/rpmdb.sqlite, **/usr/lib/sysimage/rpm/rpmdb.sqlite
Cataloger rpm_bdb_cataloger();       // **/var/lib/rpm/Packages (Berkeley DB), and under usr/lib/sysimage/rpm
Cataloger rpm_ndb_cataloger();       // **/var/lib/rpm/Packages.db (ndb), and under usr/lib/sysimage/rpm
Cataloger os_release_cataloger();    // **/etc/os-release, **/usr/lib/os-release
Cataloger go_mod_cataloger();        // **/go.mod
Cataloger pe_cataloger();            // **/*.exe, **/*.dll, **/*.sys, ... in any case, starting "MZ"
Cataloger pe_cataloger(const AuthenticodeOptions& options);  // ... signer chains checked against options' trust store
Cataloger registry_hive_cataloger(); // **/config/SOFTWARE, **/NTUSER.DAT (any case), starting "regf"; OT rules annotate its entries
// ot_software_cataloger() (ot_software.hpp): anchor files of OT engineering/SCADA installs, by path
Cataloger dotnet_deps_cataloger();   // **/*.deps.json
Cataloger go_binary_cataloger();     // **/* executable, starting "\x7fELF": Go build info (go_buildinfo.hpp)
Cataloger go_binary_pe_cataloger();  // **/*.exe in any case, starting "MZ": Go build info in .data
Cataloger java_archive_cataloger();  // **/*.jar, *.war, *.ear, *.jpi, *.hpi in any case, starting "PK\x03\x04"
Cataloger go_sum_cataloger();        // **/go.sum, reconciled with the go.mod beside it after the walk (go_sum.hpp)
// binary_classifier_cataloger() (binary_classifier.hpp): version strings in binaries, rules as data

// All of them, in the order above.
std::vector<Cataloger> default_catalogers();
// The same, with the PE cataloger's Authenticode options (a trust store: --trust-store).
std::vector<Cataloger> default_catalogers(const AuthenticodeOptions& pe_options);

}  // namespace herkomst::fs
