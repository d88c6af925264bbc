// CPE 2.3 names derived from a vendor, product and version text (a PE CompanyName/ProductName, a
// registry Publisher/DisplayName), for matching against NVD.
//
// Spec: NISTIR 7695, Common Platform Enumeration: Naming Specification Version 2.3
// (https://nvlpubs.nist.gov/nistpubs/Legacy/IR/nistir7695.pdf), 6.2 the formatted string
// binding "cpe:2.3:part:vendor:product:version:update:edition:language:sw_edition:target_sw:
// target_hw:other". Each value here is lower-cased, non-ASCII characters (®, ™) dropped, runs of
// white space turned into one '_', and every printable character other than A-Z a-z 0-9 '_' '.'
// '-' quoted with '\' (5.3.2, 6.2.2.2); an empty version is '*' (ANY). The vendor also loses a
// trailing legal form (", Inc.", "GmbH", "Corporation", ...: kCpeLegalForms), which NVD's
// vendor names leave out ("Microsoft Corporation" -> "microsoft").
// A derived CPE is a guess at NVD's dictionary name, not a lookup in it.
#pragma once

#include <string>
#include <string_view>

namespace herkomst::fs {

// One attribute value in the formatted string binding ("Example Automation" -> "example_automation",
// "C++ Tools" -> "c\+\+_tools"); empty when nothing printable is left.
std::string cpe_value(std::string_view text);

// The vendor value: cpe_value() of the text without its legal form.
std::string cpe_vendor(std::string_view company);

// "cpe:2.3:<part>:<vendor>:<product>:<version>:*:*:*:*:*:*:*"; empty when the vendor or the
// product is empty. `part` is 'a' (application), 'o' (operating system) or 'h' (hardware).
std::string cpe23(std::string_view vendor, std::string_view product, std::string_view version, char part = 'a');

}  // namespace herkomst::fs
