/** Every test gets the headless host's YAML unless it loads the plugin, which provides the app's. */
import "../../headless/yaml";
