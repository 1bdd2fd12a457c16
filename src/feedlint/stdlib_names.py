"""Names PyPI refuses to register because they are standard-library modules.

Warehouse (PyPI's code) refuses a new project whose PEP 503-normalised name is a module of
the standard library of any Python version it knows (``stdlib_list``, 2.6 to 3.x), including
the dotted prefixes of documented sub-modules (``os.path`` -> ``os-path``). This module ships
that set, approximated offline from the module index of CPython 2.7 and 3.9 to 3.14
(top-level public modules plus documented sub-modules) and is joined at run time with
:data:`sys.stdlib_module_names` on Python 3.10+. A name in here is never reported as
"unclaimed" (FL303): nobody can register it on PyPI.
"""

from __future__ import annotations

import re
import sys

__all__ = ["STDLIB_NAMES", "is_stdlib_name"]

_SHIPPED = """
abc aepack aetools aetypes aifc al annotationlib antigravity anydbm applesingle argparse array
ast asynchat asyncio asyncore atexit audioop autogil base64 basehttpserver bastion bdb binascii
binhex bisect bsddb buildtools builtin builtins bz2 calendar canvas carbon cd cfmfile cgi
cgihttpserver cgitb chunk cmath cmd code codecs codeop collections collections-abc colorpicker
colorsys commands compileall compiler compression concurrent concurrent-futures configparser
contextlib contextvars cookie cookielib copy copy-reg copyreg cpickle cprofile crypt cstringio
csv ctypes ctypes-util ctypes-wintypes curses curses-ascii curses-panel curses-textpad
dataclasses datetime dbhash dbm dbm-dumb dbm-gnu dbm-ndbm decimal device dialog difflib dircache
dis distutils distutils-archive-util distutils-bcppcompiler distutils-ccompiler distutils-cmd
distutils-command distutils-command-bdist distutils-command-bdist-dumb distutils-command-bdist-
msi distutils-command-bdist-rpm distutils-command-bdist-wininst distutils-command-build
distutils-command-build-clib distutils-command-build-ext distutils-command-build-py distutils-
command-build-scripts distutils-command-check distutils-command-clean distutils-command-config
distutils-command-install distutils-command-install-data distutils-command-install-headers
distutils-command-install-lib distutils-command-install-scripts distutils-command-register
distutils-command-sdist distutils-core distutils-cygwinccompiler distutils-debug distutils-dep-
util distutils-dir-util distutils-dist distutils-errors distutils-extension distutils-fancy-
getopt distutils-file-util distutils-filelist distutils-log distutils-msvccompiler distutils-
spawn distutils-sysconfig distutils-text-file distutils-unixccompiler distutils-util distutils-
version dl doctest docxmlrpcserver dumbdbm dummy-thread dummy-threading easydialogs email email-
charset email-contentmanager email-encoders email-errors email-generator email-header email-
headerregistry email-iterators email-message email-mime email-mime-application email-mime-audio
email-mime-base email-mime-image email-mime-message email-mime-multipart email-mime-nonmultipart
email-mime-text email-parser email-policy email-utils encodings encodings-idna encodings-mbcs
encodings-utf-8-sig ensurepip enum errno exceptions faulthandler fcntl filecmp filedialog
fileinput findertools fixtk fl flp fm fnmatch formatter fpectl fpformat fractions framework
ftplib functools future future-builtins gc gdbm genericpath gensuitemodule getopt getpass
gettext gl glob graphlib grp gzip hashlib heapq hmac hotshot html html-entities html-parser
htmlentitydefs htmllib htmlparser http http-client http-cookiejar http-cookies http-server
httplib ic icopen idlelib imageop imaplib imgfile imghdr imp importlib importlib-abc importlib-
machinery importlib-metadata importlib-resources importlib-resources-abc importlib-util imputil
inspect io ipaddress itertools jpeg json json-tool keyword lib2to3 linecache locale logging
logging-config logging-handlers lzma macerrors macos macostools macpath macresource mailbox
mailcap main markupbase marshal math md5 mhlib mimetools mimetypes mimewriter mimify miniaeframe
mmap modulefinder msilib msvcrt multifile multiprocessing multiprocessing-connection
multiprocessing-dummy multiprocessing-managers multiprocessing-pool multiprocessing-shared-
memory multiprocessing-sharedctypes mutex nav netrc new nis nntplib nt ntpath nturl2path numbers
opcode operator optparse os os-path ossaudiodev parser pathlib pdb pickle pickletools pipes
pixmapwrapper pkgutil platform plistlib popen2 poplib posix posixfile posixpath pprint profile
pstats pty pwd py-compile pyclbr pydoc pydoc-data pyexpat queue quopri random re readline repr
reprlib resource rexec rfc822 rlcompleter robotparser runpy sched scrolledtext secrets select
selectors sets sgmllib sha shelve shlex shutil signal simpledialog simplehttpserver
simplexmlrpcserver site smtpd smtplib sndhdr socket socketserver spwd sqlite3 sre-compile sre-
constants sre-parse ssl stat statistics statvfs string stringio stringprep struct subprocess
sunau sunaudiodev symbol symtable sys sys-monitoring sysconfig syslog tabnanny tarfile telnetlib
tempfile termios test test-support textwrap this thread threading time timeit tix tkcolorchooser
tkcommondialog tkconstants tkdnd tkfiledialog tkfont tkinter tkinter-colorchooser tkinter-
commondialog tkinter-dnd tkinter-filedialog tkinter-font tkinter-messagebox tkinter-scrolledtext
tkinter-simpledialog tkinter-tix tkinter-ttk tkmessagebox tksimpledialog token tokenize tomllib
trace traceback tracemalloc ttk tty turtle turtledemo types typing unicodedata unittest
unittest-mock urllib urllib-error urllib-parse urllib-request urllib-response urllib-robotparser
urllib2 urlparse user userdict userlist userstring uu uuid venv videoreader w warnings wave
weakref webbrowser whichdb winreg winsound wsgiref wsgiref-handlers wsgiref-headers wsgiref-
simple-server wsgiref-types wsgiref-util wsgiref-validate xdrlib xml xml-dom xml-dom-minidom
xml-dom-pulldom xml-etree xml-etree-celementtree xml-etree-elementtree xml-parsers xml-parsers-
expat xml-parsers-expat-errors xml-parsers-expat-model xml-sax xml-sax-handler xml-sax-saxutils
xml-sax-xmlreader xmlrpc xmlrpc-client xmlrpc-server xmlrpclib zipapp zipfile zipimport zlib
zoneinfo
"""


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.strip("-_.")).lower()


def _build() -> frozenset[str]:
    names = set(_SHIPPED.split())
    runtime = getattr(sys, "stdlib_module_names", ())  # Python 3.10+
    names.update(_canonical(n) for n in runtime if not n.startswith("_"))
    return frozenset(names)


#: PEP 503-normalised names PyPI refuses as standard-library module names.
STDLIB_NAMES: frozenset[str] = _build()


def is_stdlib_name(normalized: str) -> bool:
    """Whether the PEP 503-normalised ``normalized`` is a standard-library module name."""
    return normalized in STDLIB_NAMES
