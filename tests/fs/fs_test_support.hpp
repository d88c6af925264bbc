// Fixtures for the filesystem tests: real-looking manifests written by hand, and a helper that
// writes a file at a relative path in a temporary tree, creating the folders on the way.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "tests/support/temp_dir.hpp"

namespace herkomst::test {

inline std::filesystem::path put(const TempDir& dir, const std::string& relative, std::string_view bytes) {
  const std::filesystem::path path = dir.path / relative;
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  return path;
}

// Four paragraphs in the shape of Debian 12's /var/lib/dpkg/status: three installed (one held),
// one removed with its configuration files left (not installed).
inline constexpr std::string_view kDpkgStatus = R"(Package: openssl
Status: install ok installed
Priority: optional
Section: utils
Installed-Size: 2303
Maintainer: Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>
Architecture: amd64
Version: 3.0.11-1~deb12u2
Depends: libc6 (>= 2.34), libssl3 (>= 3.0.9)
Suggests: ca-certificates
Conffiles:
 /etc/ssl/openssl.cnf 5f6b8f8a6a1b2c3d4e5f60718293a4b5
Description: Secure Sockets Layer toolkit - cryptographic utility
 This package is part of the OpenSSL project's implementation of the SSL
 and TLS cryptographic protocols for secure communication over the
 Internet.
 .
 It contains the general-purpose command line binary /usr/bin/openssl,
 useful for cryptographic operations such as:
  * creating RSA, DH, and DSA key parameters;
Homepage: https://www.openssl.org/

Package: libc6
Status: hold ok installed
Priority: optional
Section: libs
Installed-Size: 12986
Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
Architecture: amd64
Multi-Arch: same
Source: glibc
Version: 2.36-9+deb12u4
Replaces: libc6-amd64
Depends: libgcc-s1
Description: GNU C Library: Shared libraries
 Contains the standard libraries that are used by nearly all programs on
 the system.

Package: tzdata
Status: install ok installed
Priority: required
Section: localization
Installed-Size: 3269
Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
Architecture: all
Multi-Arch: foreign
Version: 2024a-0+deb12u1
Provides: tzdata-bookworm
Depends: debconf (>= 0.5) | debconf-2.0
Description: time zone and daylight-saving time data

Package: telnet
Status: deinstall ok config-files
Priority: standard
Section: oldlibs
Installed-Size: 53
Maintainer: Debian QA Group <packages@qa.debian.org>
Architecture: all
Version: 0.17+2.4-2
Description: transitional dummy package for inetutils-telnet
)";

inline constexpr std::string_view kRequestsMetadata = R"(Metadata-Version: 2.1
Name: requests
Version: 2.31.0
Summary: Python HTTP for Humans.
Home-page: https://requests.readthedocs.io
Author: Kenneth Reitz
Author-email: me@kennethreitz.org
License: Apache 2.0
Project-URL: Source, https://github.com/psf/requests
Classifier: Development Status :: 5 - Production/Stable
Classifier: License :: OSI Approved :: Apache Software License
Requires-Python: >=3.7
Description-Content-Type: text/markdown
License-File: LICENSE
Requires-Dist: charset-normalizer (<4,>=2)
Requires-Dist: idna (<4,>=2.5)

# Requests

**Requests** is a simple, yet elegant, HTTP library.
Name: not-a-header
)";

inline constexpr std::string_view kPackageLock = R"({
  "name": "hmi-dashboard",
  "version": "1.4.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "hmi-dashboard",
      "version": "1.4.0",
      "license": "UNLICENSED",
      "dependencies": { "@babel/core": "^7.23.0", "lodash": "^4.17.21" }
    },
    "node_modules/@babel/core": {
      "version": "7.23.2",
      "resolved": "https://registry.npmjs.org/@babel/core/-/core-7.23.2.tgz",
      "integrity": "sha512-n7s51eWdaWZ3vGT2tD4T7J6eJs3QoBXydv7vkUM06Bf1cbVD2Kc2UrkzhiQwobfV7NwOnQXYL7UBJ5VPU+RGoQ==",
      "dev": true,
      "license": "MIT"
    },
    "node_modules/lodash": {
      "version": "4.17.21",
      "license": "MIT"
    },
    "node_modules/lodash/node_modules/ms": {
      "version": "2.1.3",
      "license": "MIT"
    },
    "node_modules/string-width-cjs": {
      "name": "string-width",
      "version": "4.2.3",
      "license": "MIT"
    },
    "node_modules/my-lib": {
      "resolved": "packages/my-lib",
      "link": true
    },
    "packages/my-lib": {
      "name": "my-lib",
      "version": "0.1.0"
    }
  }
}
)";

}  // namespace herkomst::test
