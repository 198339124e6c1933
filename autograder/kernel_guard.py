"""The guard the runner installs in the learner's kernel before any learner code runs.

Not imported by the grader: ``execute`` sends this file's text in the request, and the runner
(kernel_runner.py) executes it in the kernel, then calls ``_nnkit_grader_install(name, imports,
hidden_seed, second_line)``. That snapshots numpy, nnkit, builtins and IPython's display and
kernel paths, sets nnkit's hidden-case seed, registers ``sys.modules[name]`` with ``restore``
(run before every graded test) and the two calls of a split check (``probe``, ``calls``:
nnkit.checks.remote's kernel side, answering as JSON data the runner reads from the reply's user
expressions), and adds an audit hook (PEP 578) that refuses gc walks, trace hooks, ctypes and
changes to the classes and functions grading relies on. kernel_runner's docstring lists what is
restored.
"""


def _nnkit_grader_install(name, imports, hidden_seed, second_line=True):
    import builtins, importlib, pkgutil, sys, threading, types
    import numpy, numpy.testing  # noqa: F401  (snapshotted below)
    import IPython
    mods = ["numpy", "numpy.testing", "builtins"]
    try:
        import nnkit
        for info in pkgutil.walk_packages(nnkit.__path__, "nnkit."):
            # not the widgets (matplotlib) nor the learner's JupyterLab launcher (jupyter_server: ~1.3 s)
            if info.name.partition(".")[2].split(".")[0] not in ("viz", "lab", "_lab_contents"):
                try:
                    importlib.import_module(info.name)
                except Exception:
                    pass
        mods += sorted(m for m in sys.modules if m == "nnkit" or m.startswith("nnkit."))
        if hidden_seed is not None:  # set before the snapshot: put back before every test
            sys.modules["nnkit.checks.core"].HIDDEN_SEED = hidden_seed
    except Exception:
        pass
    saved_mods = {m: (sys.modules[m], dict(vars(sys.modules[m]))) for m in mods if m in sys.modules}
    saved_code = []
    for m, (mod, d) in saved_mods.items():
        if m.startswith("nnkit"):
            for v in d.values():
                if isinstance(v, types.FunctionType):
                    saved_code.append((v, v.__code__, v.__defaults__, v.__kwdefaults__))
    ip = IPython.get_ipython()
    cls = type(ip)
    shell_methods = ("showtraceback", "_showtraceback", "showsyntaxerror", "get_exception_only",
                     "run_cell", "run_cell_async", "run_code", "run_ast_nodes", "_run_cell",
                     "should_run_async", "transform_cell", "transform_ast", "excepthook")
    saved_mro = [(c, k, c.__dict__[k]) for c in cls.__mro__ for k in shell_methods if k in c.__dict__]
    kernel = getattr(ip, "kernel", None)
    kernel_methods = ("do_execute", "execute_request", "send_response", "_publish_execute_input")
    saved_kernel = [(c, k, c.__dict__[k]) for c in type(kernel).__mro__ for k in kernel_methods
                    if kernel is not None and k in c.__dict__]
    session = getattr(kernel, "session", None)
    session_methods = ("send", "serialize", "sign", "msg", "msg_header")
    saved_kernel += [(c, k, c.__dict__[k]) for c in type(session).__mro__ for k in session_methods
                     if session is not None and k in c.__dict__]
    lists = {"cleanup": list(ip.input_transformers_cleanup), "post": list(ip.input_transformers_post),
             "ast": list(ip.ast_transformers)}
    callbacks = {k: list(v) for k, v in ip.events.callbacks.items()}
    hooks = (sys.excepthook, sys.displayhook, sys.stdout, sys.stderr)
    print_ = builtins.print

    def restore():
        threading.settrace(None)  # sys.settrace/setprofile are refused by the audit hook
        threading.setprofile(None)
        for m, (mod, d) in saved_mods.items():
            sys.modules[m] = mod
            vars(mod).update(d)
        for fn, code, defaults, kwdefaults in saved_code:
            if (fn.__code__, fn.__defaults__, fn.__kwdefaults__) != (code, defaults, kwdefaults):
                fn.__code__, fn.__defaults__, fn.__kwdefaults__ = code, defaults, kwdefaults
        for c, k, v in saved_mro:
            if c.__dict__.get(k) is not v:
                setattr(c, k, v)
        for k in shell_methods:
            ip.__dict__.pop(k, None)
        for c, k, v in saved_kernel:
            if c.__dict__.get(k) is not v:
                setattr(c, k, v)
        if kernel is not None:
            for k in kernel_methods + ("session",):
                kernel.__dict__.pop(k, None)
            if session is not None:
                kernel.session = session
                for k in session_methods:
                    session.__dict__.pop(k, None)
        ip.input_transformers_cleanup[:] = lists["cleanup"]
        ip.input_transformers_post[:] = lists["post"]
        ip.ast_transformers[:] = lists["ast"]
        for event, current in ip.events.callbacks.items():
            current[:] = callbacks.get(event, []) + [
                f for f in current if f not in callbacks.get(event, [])
                and getattr(f, "__module__", "").startswith(("matplotlib", "ipykernel", "ipywidgets"))]
        ip.custom_exceptions = ()
        sys.excepthook, sys.displayhook, sys.stdout, sys.stderr = hooks
        if "nnkit.checks" in sys.modules:
            try:
                importlib.reload(sys.modules["nnkit.checks"])
            except Exception:
                pass
        ns = ip.user_ns
        if ns.get("print", print_) is not print_:
            del ns["print"]
        if imports:
            exec(imports, ns)

    remote = sys.modules.get("nnkit.checks.remote")
    loads = __import__("json").loads

    class Reply:
        """The value of a user expression that the kernel reports as application/json data."""

        def __init__(self, data):
            self.data = data

        def _repr_json_(self):
            return self.data

    def probe(fn_name, exercise, hidden):
        return Reply(remote.answer_probe(ip.user_ns, fn_name, exercise, hidden))

    def calls(fn_name, request):
        return Reply({"replies": remote.answer_calls(ip.user_ns, fn_name, loads(request))})

    sys.modules[name] = types.SimpleNamespace(restore=restore, probe=probe, calls=calls)

    guarded = ("ipykernel", "jupyter_client", "zmq", "IPython", "nnkit", "numpy", "comm", "traitlets")
    refused = {"gc.get_objects", "gc.get_referrers", "gc.get_referents", "sys.settrace",
               "sys.setprofile", "sys._current_frames", "ctypes.dlopen", "ctypes.dlsym",
               "ctypes.addressof", "ctypes.string_at", "ctypes.cdata", "ctypes.call_function"}

    protected = {id(v): v for m in list(sys.modules.values())
                 if (getattr(m, "__name__", None) or "").split(".")[0] in guarded
                 for v in list(vars(m).values()) if isinstance(v, (type, types.FunctionType))}

    def audit(event, args):
        """Refuse, for good, changes to the classes and functions grading relies on."""
        if event in refused:
            raise PermissionError(f"{event} is not allowed while grading")
        if event in ("object.__setattr__", "object.__delattr__") and args and id(args[0]) in protected \
                and protected[id(args[0])] is args[0]:
            raise PermissionError(f"changing {getattr(args[0], '__qualname__', '?')} is not allowed while grading")

    if second_line:  # off only in the test that shows each attack fails at the first line too
        sys.addaudithook(audit)
