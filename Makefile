.PHONY: start test
start:  ## set up and start Selko with a demo project
	bash selko/scripts/start.sh
test:  ## set up and run every check and test
	bash selko/scripts/test.sh
