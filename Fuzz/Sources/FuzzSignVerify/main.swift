import FuzzDriver

runFuzzer(fuzzSignVerify)
