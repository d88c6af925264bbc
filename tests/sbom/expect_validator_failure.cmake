# cmake -DNODE=<node> -DSCRIPT=<validate.mjs> -DTARGET=<file or dir>
#       [-DFRESH_DIR=ON] [-DEXPECT_1=<regex> -DEXPECT_2=<regex> -DEXPECT_3=<regex>]
#       -P expect_validator_failure.cmake
# FRESH_DIR=ON first makes TARGET an empty directory.
# Passes only when the validator ran, exited non-zero, and printed, for every EXPECT_n, a line
# matching it.
# Without NODE it fails: the CycloneDX validation needs Node.js.
if(NOT NODE)
  message(FATAL_ERROR "node not found: install Node.js (>= 20.18), re-run cmake, then "
                      "`npm ci --prefix tests/cdx-validate`; the CycloneDX validation cannot run without it")
endif()
if(NOT SCRIPT OR NOT TARGET)
  message(FATAL_ERROR "expect_validator_failure.cmake: SCRIPT and TARGET are required")
endif()
if(FRESH_DIR)
  file(REMOVE_RECURSE "${TARGET}")
  file(MAKE_DIRECTORY "${TARGET}")
endif()
execute_process(COMMAND "${NODE}" "${SCRIPT}" "${TARGET}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("validator exit: ${rc}\n${out}${err}")
if(rc STREQUAL "0")
  message(FATAL_ERROR "the validator passed; it should have failed")
endif()
if(NOT rc MATCHES "^[0-9]+$")
  message(FATAL_ERROR "the validator did not run: ${rc}")
endif()
string(REPLACE ";" "," text "${out}${err}")
string(REPLACE "\n" ";" lines "${text}")
foreach(i 1 2 3)
  if(NOT DEFINED EXPECT_${i})
    continue()
  endif()
  set(found FALSE)
  foreach(line IN LISTS lines)
    if(line MATCHES "${EXPECT_${i}}")
      set(found TRUE)
    endif()
  endforeach()
  if(NOT found)
    message(FATAL_ERROR "the validator failed, but no output line matches: ${EXPECT_${i}}")
  endif()
endforeach()
