# Runs make_sample_plant to OUTPUT and compares the bytes with the committed EXPECTED capture.
#   cmake -DGENERATOR=... -DOUTPUT=... -DEXPECTED=... -P check_reproducible.cmake
file(REMOVE "${OUTPUT}")
execute_process(COMMAND "${GENERATOR}" "${OUTPUT}" RESULT_VARIABLE run_result)
if(NOT run_result EQUAL 0)
  message(FATAL_ERROR "make_sample_plant failed (${run_result})")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${OUTPUT}" "${EXPECTED}" RESULT_VARIABLE compare_result)
if(NOT compare_result EQUAL 0)
  message(FATAL_ERROR "${OUTPUT} differs from ${EXPECTED}: the generator changed; "
                      "run samples/make-sample.sh and commit the new capture")
endif()
message(STATUS "sample capture reproduced byte for byte")
