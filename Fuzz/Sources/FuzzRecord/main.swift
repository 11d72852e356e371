import FuzzDriver

runFuzzer(fuzzRecord)
