// pod-security evaluates pods against a Pod Security Standard with Kubernetes' own admission code
// (k8s.io/pod-security-admission, the library behind the PodSecurity admission plugin), so a test
// can tell whether a cluster enforcing that level would admit them.
//
//	pod-security [-level restricted] [FILE...]   (no FILE, or "-": standard input)
//
// Input: Pod objects as JSON or YAML, several per file (YAML "---" separators, or JSON objects one
// after another). Each pod prints one line, "ok" or one line per failing check:
//
//	<source>#<n> <pod name>: <check ID>: <reason> (<detail>)
//
// Exit status: 0 every pod passes, 1 some pod fails a check, 2 unusable input (no pod at all, a
// document that is not a Pod, a field the Pod type does not have).
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
)

// failure is one failing check of one pod.
type failure struct {
	id     policy.CheckID
	result policy.CheckResult
}

// recorder wraps every check so that a failing result is reported with its ID: the evaluator's
// own results carry only the reason. The evaluator still decides which checks run at the level and
// version asked for (including which baseline checks a restricted one overrides); the wrapper only
// watches.
type recorder struct {
	failures []failure
}

func (r *recorder) watch(checks []policy.Check) []policy.Check {
	for i := range checks {
		id := checks[i].ID
		versions := make([]policy.VersionedCheck, len(checks[i].Versions))
		for j, versioned := range checks[i].Versions {
			inner := versioned.CheckPod
			versioned.CheckPod = func(meta *metav1.ObjectMeta, spec *corev1.PodSpec) policy.CheckResult {
				result := inner(meta, spec)
				if !result.Allowed {
					r.failures = append(r.failures, failure{id: id, result: result})
				}
				return result
			}
			versions[j] = versioned
		}
		checks[i].Versions = versions
	}
	return checks
}

func main() {
	level := flag.String("level", string(api.LevelRestricted), "Pod Security Standard level: baseline or restricted")
	flag.Parse()
	parsed, err := api.ParseLevel(*level)
	if err != nil {
		fatal(err)
	}
	watched := &recorder{}
	evaluator, err := policy.NewEvaluator(watched.watch(policy.DefaultChecks()), nil)
	if err != nil {
		fatal(err)
	}
	levelVersion := api.LevelVersion{Level: parsed, Version: api.LatestVersion()}

	sources := flag.Args()
	if len(sources) == 0 {
		sources = []string{"-"}
	}
	pods, failed := 0, false
	for _, source := range sources {
		err := eachPod(source, func(name string, n int, pod *corev1.Pod) {
			pods++
			watched.failures = nil
			results := evaluator.EvaluatePod(levelVersion, &pod.ObjectMeta, &pod.Spec)
			forbidden := 0
			for _, result := range results {
				if !result.Allowed {
					forbidden++
				}
			}
			// The evaluator's verdict is the one that counts; the recorder must have seen the same.
			if forbidden != len(watched.failures) {
				fatal(fmt.Errorf("%s#%d: the evaluator forbade %d checks, %d were recorded", name, n, forbidden, len(watched.failures)))
			}
			label := fmt.Sprintf("%s#%d %s", name, n, pod.Name)
			if forbidden == 0 {
				fmt.Printf("%s: ok (%s)\n", label, levelVersion)
				return
			}
			failed = true
			for _, f := range watched.failures {
				fmt.Printf("%s: %s: %s (%s)\n", label, f.id, f.result.ForbiddenReason, f.result.ForbiddenDetail)
			}
		})
		if err != nil {
			fatal(err)
		}
	}
	if pods == 0 {
		fatal(errors.New("no pod to evaluate"))
	}
	if failed {
		os.Exit(1)
	}
}

// eachPod decodes every document of one source (a file, or "-" for standard input) as a Pod.
func eachPod(source string, visit func(name string, n int, pod *corev1.Pod)) error {
	var in io.Reader = os.Stdin
	if source == "-" {
		source = "stdin"
	} else {
		file, err := os.Open(source)
		if err != nil {
			return err
		}
		defer file.Close()
		in = file
	}
	decoder := utilyaml.NewYAMLOrJSONDecoder(in, 4096)
	n := 0
	for {
		var document json.RawMessage
		if err := decoder.Decode(&document); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("%s#%d: %w", source, n+1, err)
		}
		if len(bytes.TrimSpace(document)) == 0 || string(document) == "null" {
			continue // an empty YAML document (e.g. a trailing "---")
		}
		n++
		pod, err := decodePod(document)
		if err != nil {
			return fmt.Errorf("%s#%d: %w", source, n, err)
		}
		visit(source, n, pod)
	}
}

// decodePod reads one Pod strictly: a misspelt field would otherwise vanish unnoticed, and the pod
// evaluated would not be the pod written.
func decodePod(document []byte) (*corev1.Pod, error) {
	strict := json.NewDecoder(bytes.NewReader(document))
	strict.DisallowUnknownFields()
	pod := &corev1.Pod{}
	if err := strict.Decode(pod); err != nil {
		return nil, err
	}
	if pod.Kind != "Pod" {
		return nil, fmt.Errorf("kind %q: only Pod objects are evaluated", pod.Kind)
	}
	return pod, nil
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "pod-security:", err)
	os.Exit(2)
}
