import EvidentCLI

EvidentMain.run()
