import FuzzDriver

runFuzzer(fuzzBlob)
