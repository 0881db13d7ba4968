# Sourced by the Makefile recipes: the environment cdk synth and jsii need, offline and quiet.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$here/.venv/bin:$here/node_modules/.bin:$PATH"
export JSII_NODE="$here/node_modules/.bin/node"
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1
export CDK_DISABLE_VERSION_CHECK=1
export CDK_DISABLE_CLI_TELEMETRY=1
