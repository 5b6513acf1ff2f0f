@echo off
rem Sonde for Windows, the distribution's bin\sonde.cmd: runs ..\lib\sonde.jar with your arguments on
rem the first java.exe of 21 or newer, from %JAVA_HOME%\bin, then from PATH. On Java 22+ the jar
rem relaunches itself with its tuned JVM options and start-up cache (dev.sonde.cli.Launch).
rem No parenthesised blocks: a path such as "C:\Program Files (x86)\..." would end them early.
setlocal EnableExtensions DisableDelayedExpansion
set "SONDE_JAVA="
set "SONDE_SEEN="
if defined JAVA_HOME call :check "%JAVA_HOME%\bin\java.exe"
if defined SONDE_JAVA goto run
set "SONDE_ON_PATH="
for %%J in (java.exe) do set "SONDE_ON_PATH=%%~$PATH:J"
if defined SONDE_ON_PATH call :check "%SONDE_ON_PATH%"
if defined SONDE_JAVA goto run
set "SONDE_HOME_SEEN=%JAVA_HOME%"
if not defined SONDE_HOME_SEEN set "SONDE_HOME_SEEN=not set"
if not defined SONDE_SEEN set "SONDE_SEEN= no java"
>&2 echo sonde: needs a JDK 21 or newer and found%SONDE_SEEN%; looked at JAVA_HOME [%SONDE_HOME_SEEN%] and java.exe on PATH. Install a JDK 21 or newer and set JAVA_HOME to it.
exit /b 2

:run
"%SONDE_JAVA%" -jar "%~dp0..\lib\sonde.jar" %*
exit /b %ERRORLEVEL%

rem %1 is a java.exe: SONDE_JAVA becomes it when its version is 21 or newer, else it joins SONDE_SEEN.
rem The version is the third word of the line "<name> version "<version>" ..." that java -version
rem prints; its major is the part before the first ".", "-" or "+" (1.8.0_402 is 1, so too old).
:check
if not exist "%~1" goto :eof
set "SONDE_VERSION="
set "SONDE_MAJOR="
for /f "tokens=1-3" %%A in ('call "%~1" -version 2^>^&1') do if "%%B"=="version" if not defined SONDE_VERSION set "SONDE_VERSION=%%~C"
if defined SONDE_VERSION for /f "delims=.-+" %%M in ("%SONDE_VERSION%") do set "SONDE_MAJOR=%%M"
if not defined SONDE_MAJOR set "SONDE_MAJOR=0"
set /a "SONDE_MAJOR=SONDE_MAJOR" 2>nul
if %SONDE_MAJOR% GEQ 21 set "SONDE_JAVA=%~1"
if defined SONDE_JAVA goto :eof
if not defined SONDE_VERSION set "SONDE_VERSION=no version"
set "SONDE_SEEN=%SONDE_SEEN% %~1 [%SONDE_VERSION%]"
goto :eof
