// Java archives: .jar, .war, .ear, .jpi, .hpi (zip files, read through archive.hpp, in memory).
//
// Read from each archive (JAR File Specification,
// https://docs.oracle.com/en/java/javase/17/docs/specs/jar/jar.html):
//  - META-INF/MANIFEST.MF, its main section: "Name: value" lines, a line starting with one space
//    continuing the one before (72-byte lines), attribute names case-insensitive. Kept:
//    Implementation-Title/-Version/-Vendor, Specification-Title/-Version/-Vendor,
//    Bundle-SymbolicName, Bundle-Name, Bundle-Version, Bundle-Vendor (OSGi);
//  - every META-INF/maven/<groupId>/<artifactId>/pom.properties (Maven's archiver writes it:
//    groupId, artifactId, version as Java properties; '#' and '!' comments): one package each
//    (a shaded jar carries several), pkg:maven/<groupId>/<artifactId>@<version>;
//  - archives inside (WEB-INF/lib/*.jar, BOOT-INF/lib/*.jar, an EAR's modules): their own
//    packages, named "app.war!/WEB-INF/lib/x.jar!/META-INF/maven/g/a/pom.properties", inside =
//    "app.war!/WEB-INF/lib/x.jar", to the archive depth limit.
// A jar without pom.properties is one package from its manifest (name Implementation-Title,
// else Bundle-SymbolicName, else the file name; version Implementation-Version, else
// Bundle-Version, else the file name's "-1.2.3" tail), PURL pkg:maven/<name>@<version> (no
// groupId is known), at a lower confidence. The supplier is Implementation-Vendor, else
// Bundle-Vendor, else Specification-Vendor.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "scanner/fs/walker.hpp"

namespace herkomst::fs {

inline constexpr std::string_view kJavaArchiveCataloger = "java-archive";
inline constexpr double kPomPropertiesConfidence = 0.9;
inline constexpr double kManifestConfidence = 0.6;
inline constexpr double kFileNameConfidence = 0.4;
inline constexpr std::uint64_t kJavaArchiveMaxBytes = 4ull << 30;  // read by offset, not whole

ParseResult parse_java_archive(const FileReader& file, const std::string& path,
                               const ArchiveLimits& limits = ArchiveLimits{});

}  // namespace herkomst::fs
